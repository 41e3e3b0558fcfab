#!/usr/bin/python3
"""Kernel report: runs the microbenchmarks and writes bench/results/kernels.{json,md,png}.

Each kernel x ISA x accumulation in terms/s per core, beside the two ceilings measured in the same
binary at that ISA's width: the divider probe (divisions/s) and the add/multiply probe (adds and
multiplies/s, no fma). Each ceiling in terms/s is the probe divided by the kernel's divisions (or adds
and multiplies) per term; the binding ceiling is the lower of the two, and the fraction is the kernel's
rate over it.
Usage (after scripts/setup): bench/kernel_report.py [--min-time 0.5] [--build build/release] [--out DIR [--force]]
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from hyperslice_tools.bench_files import bench_arguments, hyperslice_context, machine  # noqa: E402


def main():
    a = bench_arguments(__doc__, "kernel_report", "kernels.json", lambda ap: ap.add_argument("--min-time", default="0.5"))
    started = time.time()
    exe = os.path.join(a.build, "bench/kernels_bench")
    p = subprocess.run([exe, f"--benchmark_min_time={a.min_time}", "--benchmark_format=json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{exe} failed:\n{p.stderr}")
    raw = json.loads(p.stdout)
    probes, addmul, rows = {}, {}, []
    for b in raw["benchmarks"]:
        parts = b["name"].split("/")
        if parts[0] == "divider_probe":
            probes[parts[1]] = b["items_per_second"]
        elif parts[0] == "addmul_probe":
            addmul[parts[1]] = b["items_per_second"]
        else:
            rows.append({"kernel": parts[0], "isa": parts[1], "accumulation": parts[2],
                         "terms_per_second": b["items_per_second"], "divisions_per_second": b["divisions"],
                         "addmul_per_second": b["adds_multiplies"]})
    for r in rows:
        tps = r["terms_per_second"]
        r["divider_probe"] = probes[r["isa"]]
        r["addmul_probe"] = addmul[r["isa"]]
        r["fraction_of_probe"] = r["divisions_per_second"] / probes[r["isa"]]
        div_ceiling = probes[r["isa"]] * tps / r["divisions_per_second"]
        addmul_ceiling = addmul[r["isa"]] * tps / r["addmul_per_second"]
        r["ceiling_terms_per_second"] = min(div_ceiling, addmul_ceiling)
        r["binding"] = "divider" if div_ceiling <= addmul_ceiling else "add/multiply"
        r["fraction_of_ceiling"] = tps / r["ceiling_terms_per_second"]
    plain = {(r["kernel"], r["isa"]): r["terms_per_second"] for r in rows if r["accumulation"] == "plain"}
    for r in rows:
        if r["accumulation"] == "compensated":
            r["cost_vs_plain"] = plain[(r["kernel"], r["isa"])] / r["terms_per_second"] - 1

    m = machine()
    context = hyperslice_context(a.build, started)
    with open(os.path.join(a.out, "kernels.json"), "w") as f:
        json.dump({"machine": m, "date": time.strftime("%Y-%m-%d"), "divider_probe": probes, "addmul_probe": addmul,
                   "kernels": rows, "context": context, "benchmark_context": raw.get("context")}, f, indent=1)
    with open(os.path.join(a.out, "kernels.md"), "w") as f:
        f.write(f"# Kernel microbenchmarks\n\nMachine: {m}. Date: {time.strftime('%Y-%m-%d')}. One core. "
                f"Reproduce: `bench/kernel_report.py` (Google Benchmark, min time {a.min_time} s).\n\n")
        f.write("Divider probe (independent divisions, same binary): " +
                ", ".join(f"{k} {v / 1e9:.2f} G div/s" for k, v in probes.items()) + "\n\n")
        f.write("Add/multiply probe (independent adds and multiplies, no fma): " +
                ", ".join(f"{k} {v / 1e9:.1f} G op/s" for k, v in addmul.items()) + "\n\n")
        f.write("| kernel | isa | accumulation | G terms/s | G div/s | of divider probe | binding ceiling | "
                "G terms/s ceiling | of ceiling | compensation cost |\n"
                "|---|---|---|---:|---:|---:|---|---:|---:|---:|\n")
        for r in rows:
            cost = f"{100 * r['cost_vs_plain']:+.1f} %" if "cost_vs_plain" in r else ""
            f.write(f"| {r['kernel']} | {r['isa']} | {r['accumulation']} | {r['terms_per_second'] / 1e9:.2f} | "
                    f"{r['divisions_per_second'] / 1e9:.2f} | {100 * r['fraction_of_probe']:.0f} % | {r['binding']} | "
                    f"{r['ceiling_terms_per_second'] / 1e9:.2f} | {100 * r['fraction_of_ceiling']:.0f} % | {cost} |\n")
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
            ceiling = next(r["ceiling_terms_per_second"] for r in shipped if r["kernel"] == kn and r["isa"] == isa) / 1e9
            ax.plot([x - width / 2, x + width / 2], [ceiling, ceiling], color="black", linewidth=1)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(kernels))], kernels)
    ax.set_ylabel("G terms/s (one core)")
    ax.set_title(f"Kernels (compensated, as shipped): terms/s on one core, per instruction set\n{m}, "
                 f"{time.strftime('%Y-%m-%d')}, hyperslice {context['version']}\n"
                 "black line: the binding ceiling (divider or add/multiply probe)", fontsize=9)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "kernels.png"), dpi=110)


if __name__ == "__main__":
    main()
