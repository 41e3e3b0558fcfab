#!/usr/bin/python3
"""The seed report's Tables 2 and 3, simulated (docs/simulation.md, "The seed's tables").

  bench/seed_reproduction.py [--out bench/results/simulated/seed] [--force]

Simulates hyperslice's dynamic schedule on the seed's cluster (configs/platforms/seed-cluster.xml) at
the seed's layouts (4..128 processes, 50 and 128 slices of 1,000,000 terms), then calibrates two numbers
per table on two of its points -- 4 and 64 processes -- and predicts the other four:

  predicted(P) = simulated(P, rate) + c * P

`rate` is the seed's per-worker speed in terms/s (its Python loop on its VMs); `c` a cost per process
that the simulation does not model (what mpi4py, Python and the virtual machines add per process). The
two are solved from the two calibration points (the compute part scales as 1/rate; the solution is
refined by simulating again at the rate found until it settles), then every point is simulated at it. Writes results.json,
seed-vs-simulated.md (every point: seed mean, predicted, relative error; the optimum of each) and
seed-vs-simulated.png, plus the raw simulated sweeps (scripts/simulate's files) in sweep-<slices>/.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
from hyperslice_tools.bench_files import output_folder  # noqa: E402
from hyperslice_tools.seed import PROCESSES, SEED  # noqa: E402  (the seed report's means, docs/seed.md)

PLATFORM = os.path.join(ROOT, "configs/platforms/seed-cluster.xml")
CALIBRATION = (4, 64)
REFERENCE_RATE = 1e6


def simulate(slices, rate, out):
    cmd = [os.path.join(ROOT, "scripts/simulate"), "--platform", PLATFORM, "--ranks", ",".join(map(str, PROCESSES)),
           "--slices", str(slices), "--slice-size", "1000000", "--rate", repr(rate), "--out", out, "--force"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"seed_reproduction: scripts/simulate failed: {p.stderr.strip()}")
    with open(os.path.join(out, "results.json")) as f:
        d = json.load(f)
    return {r["ranks"]: r["result"]["seconds"] for r in d["runs"]}, d["context"]


def calibrate(sim, seed):
    """rate and c from the two calibration points: seed = sim_ref * (REF / rate) + c * P."""
    (p1, p2) = CALIBRATION
    a11, a12, b1 = sim[p1], p1, seed[p1]
    a21, a22, b2 = sim[p2], p2, seed[p2]
    det = a11 * a22 - a12 * a21
    u = (b1 * a22 - a12 * b2) / det  # REF / rate
    c = (a11 * b2 - a21 * b1) / det
    return REFERENCE_RATE / u, c


def plot(out, tables):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.stderr.write("seed_reproduction: matplotlib missing: no plot\n")
        return
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
    for ax, (slices, t) in zip(axes, sorted(tables.items())):
        ax.plot(PROCESSES, [SEED[slices][p] for p in PROCESSES], "o-", color="black", label="seed report (measured, 2019)")
        ax.plot(PROCESSES, [t["predicted"][p] for p in PROCESSES], "s--", color="tab:blue",
                label=f"simulated + {t['c'] * 1000:.1f} ms x P (predicted)")
        ax.plot(PROCESSES, [t["simulated"][p] for p in PROCESSES], ":", color="tab:blue", alpha=0.6,
                label="simulated alone (SimGrid)")
        for p in CALIBRATION:
            ax.plot([p], [SEED[slices][p]], "o", ms=12, mfc="none", color="tab:red")
        ax.set_xscale("log", base=2)
        ax.set_xticks(PROCESSES, [str(p) for p in PROCESSES])
        ax.set_xlabel("processes (red rings: the two calibration points)")
        ax.set_ylabel("seconds")
        ax.set_title(f"Table {2 if slices == 50 else 3}: {slices} slices x 10^6 terms; rate {t['rate'] / 1e6:.2f} M terms/s")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("The seed's Beowulf cluster: measured (mpi4py, 2019) vs SIMULATED (hyperslice under SimGrid SMPI, "
                 "configs/platforms/seed-cluster.xml)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "seed-vs-simulated.png"), dpi=110)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="output folder (default: a new bench-out/seed_reproduction-<date>-<time>; the "
                   "recorded one is bench/results/simulated/seed)")
    p.add_argument("--force", action="store_true", help="overwrite results already in --out")
    a = p.parse_args(argv)
    out = output_folder(a.out, "seed_reproduction", "results.json", a.force)
    started = time.time()
    tables, context = {}, None
    for slices in (50, 128):
        # The compute part scales as 1/rate, the messages do not: solve at a reference rate, then again
        # from a simulation at the rate found, until the calibration points agree (2-3 rounds).
        rate, c = REFERENCE_RATE, 0.0
        for _ in range(4):
            simulated, context = simulate(slices, rate, os.path.join(out, f"sweep-{slices}"))
            scaled = {q: t * rate / REFERENCE_RATE for q, t in simulated.items()}  # as if at the reference rate
            new_rate, c = calibrate(scaled, SEED[slices])
            if abs(new_rate - rate) < 1e-4 * rate:
                break
            rate = new_rate
        simulated, context = simulate(slices, rate, os.path.join(out, f"sweep-{slices}"))
        predicted = {q: simulated[q] + c * q for q in PROCESSES}
        errors = {q: (predicted[q] - SEED[slices][q]) / SEED[slices][q] for q in PROCESSES}
        tables[slices] = {"rate": rate, "c": c, "simulated": simulated, "predicted": predicted, "errors": errors,
                          "optimum_seed": min(PROCESSES, key=lambda q: SEED[slices][q]),
                          "optimum_predicted": min(PROCESSES, key=lambda q: predicted[q]),
                          "optimum_simulated_alone": min(PROCESSES, key=lambda q: simulated[q])}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"simulated": True, "platform": os.path.basename(PLATFORM), "calibration_points": CALIBRATION,
                   "model": "predicted(P) = simulated(P, rate) + c * P", "seed_means": SEED, "context": context,
                   "real_seconds": round(time.time() - started, 1),
                   "tables": {str(k): {kk: ({str(p): x for p, x in v.items()} if isinstance(v, dict) else v)
                                       for kk, v in t.items()} for k, t in tables.items()}}, f, indent=1)
    with open(os.path.join(out, "seed-vs-simulated.md"), "w") as f:
        f.write("# The seed's Tables 2 and 3: measured vs SIMULATED\n\n")
        f.write(f"hyperslice's dynamic schedule under SimGrid SMPI on configs/platforms/seed-cluster.xml "
                f"({context['mpi_library'].split('.')[0]}.{context['mpi_library'].split('.')[1][:2]}), "
                f"{context['date'][:10]}, hyperslice {context['version']}. Model: predicted(P) = simulated(P, rate) "
                f"+ c x P, with rate and c calibrated on the points at {CALIBRATION[0]} and {CALIBRATION[1]} "
                "processes (marked `cal`); the other four are predictions. Reproduce: `bench/seed_reproduction.py`.\n\n")
        for slices, t in sorted(tables.items()):
            f.write(f"## Table {2 if slices == 50 else 3}: {slices} slices of 10^6 terms\n\n"
                    f"Calibrated: rate {t['rate']:.4g} terms/s per worker, c = {t['c'] * 1000:.2f} ms per process.\n\n"
                    "| processes | seed mean s | simulated s | predicted s | error |\n|---|---|---|---|---|\n")
            for q in PROCESSES:
                f.write(f"| {q}{' (cal)' if q in CALIBRATION else ''} | {SEED[slices][q]:.2f} | {t['simulated'][q]:.2f} | "
                        f"{t['predicted'][q]:.2f} | {t['errors'][q] * 100:+.1f} % |\n")
            f.write(f"\nOptimum: seed {t['optimum_seed']} processes, predicted {t['optimum_predicted']}, simulation "
                    f"alone {t['optimum_simulated_alone']}.\n\n")
    plot(out, tables)
    for slices, t in sorted(tables.items()):
        worst = max(abs(e) for q, e in t["errors"].items() if q not in CALIBRATION)
        print(f"Table {2 if slices == 50 else 3}: rate {t['rate']:.4g} terms/s, c {t['c'] * 1000:.2f} ms/process; "
              f"optimum seed {t['optimum_seed']}, predicted {t['optimum_predicted']}; worst error of the predicted "
              f"points {worst * 100:.1f} %")
    print(f"seed_reproduction: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
