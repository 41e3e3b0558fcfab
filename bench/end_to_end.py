#!/usr/bin/python3
"""End-to-end speed against the obvious OpenMP loop, whole process, medians of --repeat runs.

Writes bench/results/end_to_end.{json,md}. Usage (after scripts/setup):
    bench/end_to_end.py [--repeat 3] [--build build/release] [--out DIR [--force]]
"""
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from hyperslice_tools.bench_files import bench_arguments, hyperslice_context, machine  # noqa: E402
from hyperslice_tools.program import mpi_env  # noqa: E402

ENV = mpi_env()


def timed(cmd, env):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return wall, json.loads(p.stdout.strip().splitlines()[-1])


def main():
    a = bench_arguments(__doc__, "end_to_end", "end_to_end.json",
                        lambda ap: ap.add_argument("--repeat", type=int, default=3))
    started = time.time()
    hs = os.path.join(a.build, "cli/hyperslice")
    obvious = os.path.join(a.build, "bench/obvious_loop")
    mpirun = ["mpirun", "-q"]
    def run_case(kernel, ranks, threads, terms):
        """hyperslice run under mpirun; threads past one unbound (the rank's threads pin themselves)."""
        unbound = ["--bind-to", "none"] if threads > 1 else []
        name = (f"{kernel}, {ranks} rank{'s' if ranks > 1 else ''} x {threads} thread{'s' if threads > 1 else ''}"
                f"{' (--bind-to none)' if unbound else ''}, {terms}")
        return (name, mpirun + unbound + ["-np", str(ranks), hs, "run", "--json", "--kernel", kernel, "--terms", terms,
                                          "--threads", str(threads)], {})

    def obvious_case(threads, terms):
        return (f"obvious loop, {threads} thread{'s' if threads > 1 else ''}, {terms}", [obvious, str(int(float(terms)))],
                {"OMP_NUM_THREADS": str(threads)})

    cases = [obvious_case(1, "1e10"), obvious_case(2, "1e10"),
             run_case("leibniz", 1, 1, "1e10"), run_case("leibniz", 2, 1, "1e10"), run_case("leibniz", 1, 2, "1e10"),
             obvious_case(1, "4e10"),
             run_case("leibniz-paired", 1, 1, "4e10"), run_case("leibniz-paired", 2, 1, "4e10"),
             run_case("leibniz-paired", 1, 2, "4e10"), run_case("leibniz-grouped", 1, 1, "4e10"),
             run_case("leibniz-paired", 1, 1, "1e11"), run_case("leibniz-grouped", 1, 1, "1e11"),
             run_case("leibniz-grouped", 2, 1, "1e11")]
    results = []
    for name, cmd, env in cases:
        walls, last = [], None
        reps = 1 if "4e10" in name and "obvious" in name else a.repeat  # ~35 s a run
        for _ in range(reps):
            w, last = timed(cmd, dict(ENV, **env))
            walls.append(w)
        rss = max((r.get("max_rss_mb", 0) for r in last.get("per_rank", [])), default=None)
        results.append({"case": name, "command": " ".join(cmd), "env": env, "wall_seconds": walls,
                        "median_wall": statistics.median(walls), "pi_hex": last.get("pi_hex"),
                        "inner_seconds": last.get("seconds"), "max_rss_mb": rss})
        print(f"{name:58s} {statistics.median(walls):8.3f} s  {last.get('pi_hex')}", flush=True)

    by = {r["case"]: r["median_wall"] for r in results}
    o1, o4 = by["obvious loop, 1 thread, 1e10"], by["obvious loop, 1 thread, 4e10"]
    l1, l2, lt = (by[f"leibniz, {x}, 1e10"] for x in ["1 rank x 1 thread", "2 ranks x 1 thread", "1 rank x 2 threads (--bind-to none)"])
    p1, p2, pt = (by[f"leibniz-paired, {x}, 4e10"] for x in ["1 rank x 1 thread", "2 ranks x 1 thread", "1 rank x 2 threads (--bind-to none)"])
    inner = {r["case"]: r["inner_seconds"] for r in results}
    i1, i2, it = (inner[f"leibniz, {x}, 1e10"] for x in ["1 rank x 1 thread", "2 ranks x 1 thread", "1 rank x 2 threads (--bind-to none)"])
    j1, j2, jt = (inner[f"leibniz-paired, {x}, 4e10"] for x in ["1 rank x 1 thread", "2 ranks x 1 thread", "1 rank x 2 threads (--bind-to none)"])
    summary = {
        "leibniz 1 core vs obvious loop (1e10)": o1 / l1,
        "leibniz 2 ranks efficiency (1e10)": l1 / (2 * l2),
        "leibniz 1 rank x 2 threads efficiency (1e10)": l1 / (2 * lt),
        "leibniz-paired 1 core vs obvious loop (4e10)": o4 / p1,
        "leibniz-paired 2 ranks efficiency (4e10)": p1 / (2 * p2),
        "leibniz-paired 1 rank x 2 threads efficiency (4e10)": p1 / (2 * pt),
        "timed region: leibniz 2 ranks efficiency (1e10)": i1 / (2 * i2),
        "timed region: leibniz 1 rank x 2 threads efficiency (1e10)": i1 / (2 * it),
        "timed region: leibniz-paired 2 ranks efficiency (4e10)": j1 / (2 * j2),
        "timed region: leibniz-paired 1 rank x 2 threads efficiency (4e10)": j1 / (2 * jt),
        "leibniz-grouped 1 core vs obvious loop (4e10)": o4 / by["leibniz-grouped, 1 rank x 1 thread, 4e10"],
        "leibniz-grouped vs leibniz-paired, 1 core (1e11)":
            by["leibniz-paired, 1 rank x 1 thread, 1e11"] / by["leibniz-grouped, 1 rank x 1 thread, 1e11"],
        "timed region: leibniz-grouped 2 ranks efficiency (1e11)":
            inner["leibniz-grouped, 1 rank x 1 thread, 1e11"] / (2 * inner["leibniz-grouped, 2 ranks x 1 thread, 1e11"]),
    }
    m = machine()
    with open(os.path.join(a.out, "end_to_end.json"), "w") as f:
        json.dump({"machine": m, "date": time.strftime("%Y-%m-%d"), "context": hyperslice_context(a.build, started),
                   "results": results, "summary": summary}, f, indent=1)
    with open(os.path.join(a.out, "end_to_end.md"), "w") as f:
        f.write(f"# End to end, whole process\n\nMachine: {m}. Date: {time.strftime('%Y-%m-%d')}. "
                f"Medians of {a.repeat} runs (the 4e10 obvious loop: 1 run). Reproduce: `bench/end_to_end.py`.\n\n")
        f.write("Whole process = wall clock around mpirun (launch included); timed region = hyperslice's own "
                "timer (barrier to the exact sum on rank 0), from the last run of each case.\n\n")
        f.write("| case | median wall s | runs | pi_hex | peak RSS MB/rank |\n|---|---:|---|---|---:|\n")
        for r in results:
            f.write(f"| {r['case']} | {r['median_wall']:.3f} | {', '.join(f'{w:.2f}' for w in r['wall_seconds'])} | "
                    f"`{r['pi_hex']}` | {r['max_rss_mb'] if r['max_rss_mb'] is not None else '-'} |\n")
        f.write("\n| ratio | value |\n|---|---:|\n")
        for k, v in summary.items():
            f.write(f"| {k} | {v:.3f} |\n")
    for k, v in summary.items():
        print(f"{k:55s} {v:.3f}")


if __name__ == "__main__":
    main()
