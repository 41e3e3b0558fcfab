#!/usr/bin/python3
"""The simulator against real runs: the lent 16-vCPU Xeon's recorded sweeps (bench/results/xeon16-ranks,
xeon16-threads: 4 x 10^10 terms of leibniz-grouped in 1,024 slices, medians of 3 runs) simulated on
configs/platforms/xeon16.xml, with one calibration point: the rate is the measured 1-rank, 1-thread run's
(terms / seconds). Every other point is a prediction.

  bench/simulation_validation.py [--out bench/results/simulated/xeon16-validation] [--force]

Writes validation.md (real median, simulated, relative error per point) and the two simulated sweeps.
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
from hyperslice_tools.bench_files import output_folder  # noqa: E402

RESULTS = os.path.join(ROOT, "bench/results")
GRIDS = {"ranks": ("xeon16-ranks", ["--ranks", "1,2,4,8,16", "--threads", "1"]),
         "threads": ("xeon16-threads", ["--ranks", "1", "--threads", "1,2,4,8,16"])}


def medians(path):
    with open(path) as f:
        return {(int(r["ranks"]), int(r["threads"])): float(r["median"]) for r in csv.DictReader(f) if r["median"]}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="output folder (default: a new bench-out/simulation_validation-<date>-<time>)")
    p.add_argument("--force", action="store_true")
    a = p.parse_args(argv)
    out = output_folder(a.out, "simulation_validation", "validation.md", a.force)
    real = {}
    for name, (folder, _) in GRIDS.items():
        real[name] = medians(os.path.join(RESULTS, folder, "scaling.csv"))
    rate = 4e10 / real["ranks"][(1, 1)]
    lines = ["# The simulator against real runs on the 16-vCPU Xeon\n",
             f"Real: `bench/results/xeon16-ranks/` and `xeon16-threads/` (medians of 3 runs, 4 x 10^10 terms, "
             f"leibniz-grouped, 1,024 slices, dynamic schedule). Simulated: `configs/platforms/xeon16.xml`, rate "
             f"{rate:.4g} terms/s per thread = the real 1 x 1 run's (the one calibration point). Reproduce: "
             "`bench/simulation_validation.py`.\n"]
    for name, (folder, grid) in GRIDS.items():
        sim_out = os.path.join(out, f"sweep-{name}")
        cmd = [os.path.join(ROOT, "scripts/simulate"), "--platform", os.path.join(ROOT, "configs/platforms/xeon16.xml"),
               *grid, "--slices", "1024", "--terms", "4e10", "--rate", repr(rate), "--out", sim_out, "--force"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"simulation_validation: scripts/simulate failed: {r.stderr.strip()}")
        sim = medians(os.path.join(sim_out, "scaling.csv"))
        lines.append(f"\n## {name} ({folder})\n\n| ranks x threads | real median s | simulated s | error |\n|---|---|---|---|")
        for key in sorted(sim):
            if key in real[name]:
                err = (sim[key] - real[name][key]) / real[name][key]
                cal = " (cal)" if key == (1, 1) else ""
                lines.append(f"| {key[0]} x {key[1]}{cal} | {real[name][key]:.3f} | {sim[key]:.3f} | {err * 100:+.1f} % |")
    with open(os.path.join(out, "validation.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
