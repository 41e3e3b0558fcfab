#!/usr/bin/python3
"""Kernel report: runs the microbenchmarks and writes bench/results/kernels.{json,md,png}.

Each kernel x ISA x accumulation in terms/s per core, beside the divider probe measured in the same
binary; the fraction is (divisions/s the kernel performs) / (probe divisions/s at that ISA's width).
Usage (after scripts/setup): bench/kernel_report.py [--min-time 0.5] [--build build/release] [--out bench/results]
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from end_to_end import machine  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-time", default="0.5")
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--out", default="bench/results")
    a = ap.parse_args()
    exe = os.path.join(a.build, "bench/kernels_bench")
    p = subprocess.run([exe, f"--benchmark_min_time={a.min_time}", "--benchmark_format=json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{exe} failed:\n{p.stderr}")
    raw = json.loads(p.stdout)
    probes, rows = {}, []
    for b in raw["benchmarks"]:
        parts = b["name"].split("/")
        if parts[0] == "divider_probe":
            probes[parts[1]] = b["div/s"]
        else:
            rows.append({"kernel": parts[0], "isa": parts[1], "accumulation": parts[2], "terms_per_second": b["terms/s"],
                         "divisions_per_second": b["div/s"]})
    for r in rows:
        r["divider_probe"] = probes[r["isa"]]
        r["fraction_of_probe"] = r["divisions_per_second"] / probes[r["isa"]]
    plain = {(r["kernel"], r["isa"]): r["terms_per_second"] for r in rows if r["accumulation"] == "plain"}
    for r in rows:
        if r["accumulation"] == "compensated":
            r["cost_vs_plain"] = plain[(r["kernel"], r["isa"])] / r["terms_per_second"] - 1

    m = machine()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "kernels.json"), "w") as f:
        json.dump({"machine": m, "date": time.strftime("%Y-%m-%d"), "divider_probe": probes, "kernels": rows,
                   "context": raw.get("context")}, f, indent=1)
    with open(os.path.join(a.out, "kernels.md"), "w") as f:
        f.write(f"# Kernel microbenchmarks\n\nMachine: {m}. Date: {time.strftime('%Y-%m-%d')}. One core. "
                f"Reproduce: `bench/kernel_report.py` (Google Benchmark, min time {a.min_time} s).\n\n")
        f.write("Divider probe (independent divisions, same binary): " +
                ", ".join(f"{k} {v / 1e9:.2f} G div/s" for k, v in probes.items()) + "\n\n")
        f.write("| kernel | isa | accumulation | G terms/s | G div/s | of probe | compensation cost |\n"
                "|---|---|---|---:|---:|---:|---:|\n")
        for r in rows:
            cost = f"{100 * r['cost_vs_plain']:+.1f} %" if "cost_vs_plain" in r else ""
            f.write(f"| {r['kernel']} | {r['isa']} | {r['accumulation']} | {r['terms_per_second'] / 1e9:.2f} | "
                    f"{r['divisions_per_second'] / 1e9:.2f} | {100 * r['fraction_of_probe']:.0f} % | {cost} |\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no kernels.png", file=sys.stderr)
        return
    shipped = [r for r in rows if r["accumulation"] == "compensated"]
    kernels = sorted({r["kernel"] for r in shipped}, key=lambda k: [x["kernel"] for x in shipped].index(k))
    isas = sorted({r["isa"] for r in shipped}, key=lambda i: [x["isa"] for x in shipped].index(i))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(isas)
    for i, isa in enumerate(isas):
        xs = [k + i * width for k in range(len(kernels))]
        ys = [next(r["terms_per_second"] for r in shipped if r["kernel"] == kn and r["isa"] == isa) / 1e9 for kn in kernels]
        ax.bar(xs, ys, width, label=isa)
        for x, kn in zip(xs, kernels):
            ceiling = probes[isa] / (0.5 if kn == "leibniz-paired" else 1.0) / 1e9
            ax.plot([x - width / 2, x + width / 2], [ceiling, ceiling], color="black", linewidth=1)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(kernels))], kernels)
    ax.set_ylabel("G terms/s (one core)")
    ax.set_title("Kernels (compensated, as shipped); black line: divider-probe ceiling")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "kernels.png"), dpi=110)


if __name__ == "__main__":
    main()
