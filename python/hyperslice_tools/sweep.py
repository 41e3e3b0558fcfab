"""hyperslice-sweep (scripts/sweep): scaling sweeps and layout tuning. The front end is
scripts/sweep; its documentation, also its --help and man page, is DOC below."""
import argparse
import json
import math
import os
import shlex
import subprocess
import sys
import time

from . import program, sweep_docs
from .errors import Parser, UsageError, guarded, write_file
from .plots import plot, plot_tune
from .results import SCHEMA_VERSION, SHORT, context_of, load_results, make_out, summarise
from .tables import write_tables
from .values import count, int_list, seconds

DOC = """Scaling sweeps and layout tuning for hyperslice, after the seed report's Tables 2-3 and Figures 19-20.

  scripts/sweep --ranks 1,2,4 --threads 1,2 --slices 50,128 --repeat 3 --out sweep-out
  scripts/sweep --tune [--terms 2e9] [--hostfile hosts] --out tune-out
  (installed: hyperslice-sweep ...)

  scripts/sweep --replot DIR        tables and plots again from DIR/results.json

Runs `mpirun ... hyperslice run --json` for every point of the grid (ranks x threads x slices), each
--repeat times, and writes into --out: results.json (every run's JSON with its point), scaling.csv and
scaling.md (the seed's layout: processes, run 1..k, mean; plus median, min, speedup against the smallest
layout, parallel efficiency, terms/s; one table per slice count), scaling.png and scaling.svg (time vs
processes per slice count, with the seed report's times for its own workload, speedup against ideal over
the layouts that do not oversubscribe, efficiency; titled with workload, host, date and version).
Points that oversubscribe cores are marked (*), points under 0.1 s are flagged (!) with a warning
(--min-seconds scales the work up), failed points are reported and marked (failed), and the sweep goes
on. --out defaults to a new sweep-<date>-<time> folder; results already there need --force.

--tune tries every ranks x threads factorisation of the cores per node (with --hostfile: of each node's
cores, read with `hyperslice topology`) at a few slice granularities, prints the best layout with its
full mpirun command line and the table behind it, and writes the same files, its plot bars of the
median time per ranks x threads layout and slice count.
"""

EXAMPLES = [
    ("hyperslice-sweep --ranks 1,2,4,8 --slices 50,128 --kernel leibniz --repeat 3", "the seed report's Tables 2-3"),
    ("hyperslice-sweep --ranks 1,2 --threads 1,2 --slices 50,128 --terms 2e10 --out local",
     "ranks x threads with the same work per series"),
    ("hyperslice-sweep --tune --terms 2e10 --out tune", "every ranks x threads factorisation of the cores; the best "
     "layout's mpirun line"),
    ("hyperslice-sweep --replot local", "tables and plots again from local/results.json"),
]


def make_parser():
    p = Parser(prog=os.path.basename(sys.argv[0]), description=DOC, formatter_class=argparse.RawDescriptionHelpFormatter,
               allow_abbrev=False)  # --rank is a typo, not --ranks
    p.add_argument("--ranks", type=int_list, default=[1, 2, 4], help="MPI ranks (default 1,2,4)")
    p.add_argument("--threads", type=int_list, default=[1], help="OpenMP threads per rank (default 1)")
    p.add_argument("--slices", type=int_list, default=[50, 128], help="slice counts (default 50,128: the seed's)")
    p.add_argument("--slice-size", type=count, default=1000000, help="terms per slice (default 1,000,000)")
    p.add_argument("--terms", type=count, help="total terms instead of slices x slice-size (--tune default 2e9)")
    p.add_argument("--kernel", help="kernel (default: leibniz, the seed's, for a sweep; with --tune, the kernel "
                                    "`hyperslice run` uses by default)")
    p.add_argument("--schedule", default="dynamic", help="static | dynamic | hierarchical (default dynamic)")
    p.add_argument("--repeat", type=count, default=3, help="runs per point (default 3, as the seed)")
    p.add_argument("--hostfile", help="Open MPI hostfile for multi-node sweeps")
    p.add_argument("--mpirun-args", default="", help="extra mpirun arguments, one string")
    p.add_argument("--tune", action="store_true", help="try every ranks x threads factorisation of the cores")
    p.add_argument("--binary", default=program.default_binary(sys.argv[0]), help="hyperslice executable")
    p.add_argument("--timeout", type=count, default=600, help="seconds per run before it counts as failed")
    p.add_argument("--min-seconds", type=seconds, help="scale the work up (terms, or the slice size) until the "
                   "fastest layout of the grid takes at least this long, like Google Benchmark's minimum time")
    p.add_argument("--out", help="output folder (default: a new sweep-YYYYmmdd-HHMMSS here); one that holds a "
                   "results.json already needs --force")
    p.add_argument("--force", action="store_true", help="overwrite the results in --out")
    p.add_argument("--version", action="store_true", help="print the version of the hyperslice the sweep runs (--binary)")
    p.add_argument("--print-man", metavar="FILE", help=argparse.SUPPRESS)  # the build writes the man page
    p.add_argument("--print-completion", metavar="FILE", help=argparse.SUPPRESS)  # and the bash completion
    return p


def parse_args(argv, check_binary=True):
    a = make_parser().parse_args(argv)
    if a.schedule not in ("static", "dynamic", "hierarchical"):
        raise UsageError(f"--schedule: expected static, dynamic or hierarchical, got '{a.schedule}'")
    if not a.tune and (not a.ranks or not a.threads or not a.slices):
        raise UsageError("the grid is empty: --ranks, --threads and --slices each need at least one value")
    if check_binary and not os.access(a.binary, os.X_OK):
        raise UsageError(f"--binary: '{a.binary}' is not an executable (run scripts/setup first)")
    if a.hostfile and check_binary:  # (a replot does not read it again)
        if not os.path.isfile(a.hostfile):
            raise UsageError(f"--hostfile: cannot read '{a.hostfile}' (not a file)")
        program.hostfile_slots(a.binary, a.hostfile)  # read now: a bad line stops the sweep before any run
    if a.out is None:
        a.out = time.strftime("sweep-%Y%m%d-%H%M%S")
    if os.path.exists(os.path.join(a.out, "results.json")) and not a.force:
        raise UsageError(f"--out: '{a.out}' holds results already (results.json); pass --force to overwrite them")
    return a


def command(a, ranks, threads, slices, terms, capacity):
    """The mpirun line for one point; oversubscribed when ranks x threads exceeds the cores."""
    cmd = ["mpirun", "-q"]
    if a.hostfile:
        cmd += ["--hostfile", a.hostfile, "--mca", "plm_rsh_no_tree_spawn", "1"]
    over = ranks * threads > capacity
    if over or ranks > capacity:
        cmd += ["--oversubscribe"]
    if threads > 1 or over:
        # Ranks free to use several cores; hyperslice pins each rank's threads to distinct cores.
        cmd += ["--bind-to", "none"]
    cmd += ["-np", str(ranks), "-x", f"OMP_NUM_THREADS={threads}"] + shlex.split(a.mpirun_args)
    cmd += [a.binary, "run", "--json", "--quiet", *kernel_args(a), "--schedule", a.schedule,
            "--threads", str(threads), "--slices", str(slices)]
    cmd += ["--terms", str(terms)] if terms else ["--slice-size", str(a.slice_size)]
    return cmd, over


def kernel_args(a):
    """--kernel for `run`: the one asked for; the seed's for a sweep (its tables are of that kernel); none
    for --tune, so that the layout is tuned for the kernel `run` uses by default (the runs' JSON names it)."""
    if a.kernel:
        return ["--kernel", a.kernel]
    return [] if a.tune else ["--kernel", "leibniz"]


def kernel_of(a, runs):
    """The kernel the runs used, as they report it."""
    asked = kernel_args(a)
    return next((r["result"]["kernel"] for r in runs if "result" in r), asked[1] if asked else "run's default")


def run_grid(a, points, capacity, terms):
    runs = []
    total = len(points) * a.repeat
    done = 0
    t_start = time.time()
    for (ranks, threads, slices) in points:
        cmd, over = command(a, ranks, threads, slices, terms, capacity)
        for rep in range(a.repeat):
            done += 1
            tty = sys.stderr.isatty()
            sys.stderr.write(f"{chr(13) if tty else ''}sweep: [{done}/{total}] ranks={ranks} threads={threads} "
                             f"slices={slices} run {rep + 1}/{a.repeat}, {time.time() - t_start:.0f} s elapsed"
                             f"{'   ' if tty else chr(10)}")
            sys.stderr.flush()
            rec = {"ranks": ranks, "threads": threads, "slices": slices, "repeat": rep + 1, "oversubscribed": over,
                   "command": " ".join(shlex.quote(c) for c in cmd)}
            t0 = time.time()
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, env=program.mpi_env(), timeout=a.timeout)
                rec["wall_seconds"] = time.time() - t0
                if p.returncode != 0:
                    rec["error"] = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
                else:
                    rec["result"] = json.loads(p.stdout)
                    kinds = {w["kind"] for w in rec["result"].get("warnings", [])}
                    rec["oversubscribed"] = over or "host_oversubscribed" in kinds
            except subprocess.TimeoutExpired:
                rec["error"] = f"timed out after {a.timeout} s"
            except json.JSONDecodeError as e:
                rec["error"] = f"unreadable output: {e}"
            if "error" in rec:
                sys.stderr.write(f"\nsweep: point ranks={ranks} threads={threads} slices={slices} failed: {rec['error']}\n")
            runs.append(rec)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    return runs


def scale_work(a, points, capacity, terms):
    """--min-seconds: time the grid's fastest layout (most processes without oversubscribing, the most
    slices) and double the work until it lasts long enough; every point then gets that work."""
    fair = [p for p in points if p[0] * p[1] <= capacity] or points
    ranks, threads, slices = max(fair, key=lambda p: (p[0] * p[1], p[2]))
    for _ in range(40):
        cmd, _ = command(a, ranks, threads, slices, terms, capacity)
        p = subprocess.run(cmd, capture_output=True, text=True, env=program.mpi_env(), timeout=a.timeout)
        if p.returncode != 0:
            raise UsageError(f"--min-seconds: the calibration run failed: "
                             f"{(p.stderr.strip().splitlines() or ['?'])[-1]}")
        took = json.loads(p.stdout)["seconds"]
        if took >= a.min_seconds:
            break
        factor = 2 ** max(1, math.ceil(math.log2(1.2 * a.min_seconds / max(took, 1e-6))))
        if terms:
            terms *= factor
        else:
            a.slice_size *= factor
    sys.stderr.write(f"sweep: --min-seconds {a.min_seconds}: the fastest layout ({ranks} x {threads}, {slices} slices) "
                     f"takes {took:.3f} s with " + (f"--terms {terms}" if terms else f"--slice-size {a.slice_size}") + "\n")
    return terms


def factorisations(cores):
    return [(r, cores // r) for r in range(1, cores + 1) if cores % r == 0]


def report(a, argv, runs, context, cores):
    """results.json, the tables and the plot of a finished grid; returns the summary rows."""
    rows = summarise(runs)
    per_node, nodes = min(cores.values()), len(cores)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"schema_version": SCHEMA_VERSION, "context": context, "argv": argv,
                   "nodes": cores, "runs": runs, "points": rows}, f, indent=1)
    terms_seen = {r["result"]["terms"] for r in runs if "result" in r}
    slice_sizes = {r["result"]["slice_size"] for r in runs if "result" in r}
    kernel = kernel_of(a, runs)
    seed_like = not a.tune and not a.terms and slice_sizes <= {1000000} and kernel == "leibniz"
    work = (f"{terms_seen.pop():.3g} terms" if len(terms_seen) == 1 and (a.terms or a.tune) else
            f"slices x {(slice_sizes.pop() if len(slice_sizes) == 1 else a.slice_size):.3g} terms")
    title = ("Layout tuning" if a.tune else "Scaling sweep") + f": {kernel}, {work}, {a.schedule} schedule, " + \
            f"{nodes} node{'s' if nodes > 1 else ''} x {per_node} cores, {a.repeat} run{'s' if a.repeat > 1 else ''} per point"
    write_tables(a.out, rows, a.repeat, title, seed_like)
    if a.tune:
        plot_tune(a.out, rows, title, context)
    else:
        plot(a.out, rows, title, context, seed_like)
    short = [r for r in rows if r["short"]]
    if short:
        sys.stderr.write(f"sweep: warning: {len(short)} of {len(rows)} points ran under {SHORT} s (fastest "
                         f"{min(r['median'] for r in short):.3f} s): too short to time well; --min-seconds 1 scales the "
                         "work up\n")
    return rows


def replot(folder):
    """--replot DIR: the tables and plots again from DIR/results.json (after a change to them, or for
    results recorded where matplotlib is missing)."""
    d = load_results(folder)
    a = parse_args(d["argv"] + ["--out", folder, "--force"], check_binary=False)
    report(a, d["argv"], d["runs"], d["context"], d["nodes"])
    print(f"sweep: rewrote {folder}/scaling.csv, scaling.md, scaling.png, scaling.svg")
    return 0


def run(argv):
    if argv[:1] == ["--print-man"] and len(argv) == 2:
        return write_file(argv[1], sweep_docs.man_page(), "--print-man")
    if argv[:1] == ["--print-completion"] and len(argv) == 2:
        return write_file(argv[1], sweep_docs.completion(), "--print-completion")
    if "--version" in argv:
        binary = make_parser().parse_known_args(argv)[0].binary
        print(program.version_text(binary, "hyperslice-sweep"))
        return 0
    if argv[:1] == ["--replot"]:
        if len(argv) != 2:
            raise UsageError("--replot DIR: give one folder, and nothing else")
        return replot(argv[1])
    a = parse_args(argv)
    make_out(a.out)
    started = time.time()
    cores = program.node_cores(a.binary, a.hostfile, a.mpirun_args, a.timeout)
    per_node = min(cores.values())
    nodes = len(cores)
    capacity = (per_node * nodes if not a.hostfile else
                sum(min(s, per_node) for s in program.hostfile_slots(a.binary, a.hostfile).values()))
    if a.tune:
        terms = a.terms or 2000000000
        slices_list = a.slices if "--slices" in argv else [8 * nodes * per_node, 128, 1024]
        points = [(r * nodes, t, s) for (r, t) in factorisations(per_node) for s in slices_list]
        capacity = per_node * nodes
    else:
        terms = a.terms
        points = [(r, t, s) for s in a.slices for r in a.ranks for t in a.threads]
    if a.min_seconds:
        terms = scale_work(a, points, capacity, terms)
    runs = run_grid(a, points, capacity, terms)
    context = context_of(runs, argv, started)
    rows = report(a, argv, runs, context, cores)
    failed = [r for r in rows if r["failed"]]
    if len(failed) == len(rows):
        sys.stderr.write(f"sweep: error: every point failed (first: {next(r['error'] for r in runs if 'error' in r)})\n")
        return 1
    print(f"sweep: {len(rows)} points, {len(failed)} failed; wrote {a.out}/results.json, scaling.csv, scaling.md, "
          f"scaling.png, scaling.svg")
    if a.tune:
        good = [r for r in rows if r["median"] and not r["oversubscribed"]]
        if not good:
            sys.stderr.write("sweep: error: no layout ran\n")
            return 1
        best = min(good, key=lambda r: r["median"])
        print(f"best layout: {best['ranks']} ranks x {best['threads']} threads, {best['slices']} slices: "
              f"median {best['median']:.3f} s ({best['terms_per_second']:.3g} terms/s)")
        # The program's own recommended line for that many ranks per node (each bound to its share of the
        # cores, as many threads), with the sweep's extra mpirun arguments, then the run's settings.
        words = program.recommended_argv(a.binary, max(1, best["ranks"] // nodes), nodes, a.hostfile, a.mpirun_args)
        run_args = [*kernel_args(a), "--schedule", a.schedule, "--slices", str(best["slices"]), "--terms", str(terms)]
        print("  " + " ".join(shlex.quote(c) for c in words + run_args))
        print()
        print(open(os.path.join(a.out, "scaling.md")).read())
    return 0


def main(argv):
    return guarded("sweep", run, argv)
