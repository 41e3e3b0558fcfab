"""scripts/simulate: simulated scaling sweeps under SimGrid's SMPI. The front end is scripts/simulate;
its documentation, also its --help, is DOC below."""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

from . import program
from .errors import Parser, UsageError, guarded
from .plots import plot
from .results import SCHEMA_VERSION, load_results, make_out, summarise
from .tables import write_tables
from .values import count, int_list

# The simulator build and the real one, in the source tree the front end sits in (scripts/simulate).
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(sys.argv[0])))
SIM_BIN = os.path.join(ROOT, "build/smpi/cli/hyperslice")
REAL_BIN = os.path.join(ROOT, "build/release/cli/hyperslice")

DOC = """Simulated scaling sweeps: hyperslice's real coordinator/worker protocol under SimGrid's SMPI, on a
simulated cluster of any size (docs/simulation.md).

  scripts/simulate --platform configs/platforms/fattree-512x32-ib.xml --ranks 16,256,4096 \\
                   --threads 1 --slices 65536 --terms 1e12 --out sim-out
  scripts/simulate --replot DIR        tables and plots again from DIR/results.json

Each point (ranks x threads x slices) runs `smpirun ... build/smpi/cli/hyperslice run --json` (the smpi
preset: scripts/setup smpi): every rank is a SimGrid actor, MPI messages cross the platform's simulated
links, checkpoints and heartbeats happen as for real, and each slice's compute is charged as simulated
time at --rate terms/s per thread instead of being summed (so the simulated runs' pi is not computed).
Ranks fill each host's cores in order (cores / threads ranks per host, then the next host), as mpirun's
default by-slot mapping does; past the platform's cores they wrap around and share cores, as
oversubscribed processes do. Output in --out, in the formats of scripts/sweep (results.json,
scaling.csv, scaling.md, scaling.png/svg), every file marked as simulated and naming the platform; the
times are SimGrid's, predicted, not measured.

--rate defaults to what this machine's cores do: `hyperslice bench` (the real build) measures the
kernel, and its fastest ISA's terms/s per core is used.
"""


def parse_args(argv):
    p = Parser(prog="simulate", description=DOC, formatter_class=argparse.RawDescriptionHelpFormatter,
               allow_abbrev=False)
    p.add_argument("--platform", required=True, help="SimGrid platform file (configs/platforms/)")
    p.add_argument("--ranks", type=int_list, required=True, help="MPI ranks, e.g. 16,256,4096")
    p.add_argument("--threads", type=int_list, default=[1], help="OpenMP threads per rank (default 1)")
    p.add_argument("--slices", type=int_list, required=True, help="slice counts")
    p.add_argument("--slice-size", type=count, help="terms per slice")
    p.add_argument("--terms", type=count, help="total terms (instead of --slice-size)")
    p.add_argument("--rate", type=float, help="terms per second per thread (default: hyperslice bench here)")
    p.add_argument("--kernel", default="leibniz-grouped", help="kernel whose rate is measured (default leibniz-grouped)")
    p.add_argument("--schedule", default="dynamic", help="static | dynamic | hierarchical (default dynamic)")
    p.add_argument("--group-size", type=count, help="hierarchical: ranks per group (default: each host's)")
    p.add_argument("--repeat", type=count, default=1, help="runs per point (default 1: a simulation is "
                   "deterministic)")
    p.add_argument("--binary", default=SIM_BIN, help="hyperslice built with the smpi preset")
    p.add_argument("--timeout", type=count, default=900, help="real seconds per simulated run")
    p.add_argument("--smpirun-args", default="", help="extra smpirun arguments, one string")
    p.add_argument("--out", required=True, help="output folder; one holding results.json needs --force")
    p.add_argument("--force", action="store_true", help="overwrite the results in --out")
    a = p.parse_args(argv)
    if (a.slice_size is None) == (a.terms is None):
        raise UsageError("give exactly one of --slice-size and --terms")
    if a.schedule not in ("static", "dynamic", "hierarchical"):
        raise UsageError(f"--schedule: expected static, dynamic or hierarchical, got '{a.schedule}'")
    if a.group_size is not None and a.schedule != "hierarchical":
        raise UsageError("--group-size: only with --schedule hierarchical")
    if a.rate is not None and not a.rate > 0:
        raise UsageError(f"--rate: expected a positive number of terms/s, got {a.rate}")
    if not os.path.isfile(a.platform):
        raise UsageError(f"--platform: cannot read '{a.platform}'")
    a.platform, a.binary = os.path.abspath(a.platform), os.path.abspath(a.binary)  # smpirun runs elsewhere
    if not os.access(a.binary, os.X_OK):
        raise UsageError(f"--binary: '{a.binary}' is not an executable (scripts/setup smpi builds it)")
    if os.path.exists(os.path.join(a.out, "results.json")) and not a.force:
        raise UsageError(f"--out: '{a.out}' holds results already (results.json); pass --force to overwrite them")
    return a


def expand_radical(radical):
    out = []
    for part in radical.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def platform_hosts(path):
    """[(host, cores)] of a platform's <cluster> and <host> elements, in file order."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise UsageError(f"--platform: '{path}' is not XML: {e}")
    hosts = []
    for el in root.iter():
        if el.tag == "cluster":
            cores = int(el.get("core", "1"))
            hosts += [(f"{el.get('prefix', '')}{i}{el.get('suffix', '')}", cores) for i in expand_radical(el.get("radical"))]
        elif el.tag == "host":
            hosts.append((el.get("id"), int(el.get("core", "1"))))
    if not hosts:
        raise UsageError(f"--platform: '{path}' describes no host")
    return hosts


def hostfile_lines(hosts, ranks, threads):
    """By slot: cores // threads ranks per host, host after host, wrapping round when the platform is full."""
    lines, placed = [], 0
    while placed < ranks:
        for host, cores in hosts:
            n = min(max(1, cores // threads), ranks - placed)
            lines.append(f"{host}:{n}")
            placed += n
            if placed == ranks:
                break
    return lines


def measured_rate(a):
    """Terms/s per core of the kernel on this machine: `hyperslice bench` of the real build, best ISA."""
    real = REAL_BIN if os.access(REAL_BIN, os.X_OK) else shutil.which("hyperslice")
    if real is None:
        raise UsageError("--rate not given, and there is no hyperslice to measure it with: build one "
                               "(scripts/setup, for build/release) or give --rate TERMS_PER_SECOND")
    p = subprocess.run([real, "bench", "--json", "--no-links", "--kernel", a.kernel, "--min-time", "0.05"],
                       capture_output=True, text=True, env=program.mpi_env(), timeout=600)
    if p.returncode != 0:
        raise UsageError(f"--rate not given and `hyperslice bench` failed: {p.stderr.strip()}")
    results = json.loads(p.stdout)["per_rank"][0]["results"]
    best = max(results, key=lambda r: r["terms_per_second"])
    sys.stderr.write(f"simulate: --rate {best['terms_per_second']:.4g} terms/s per thread ({a.kernel}, {best['isa']}, "
                     "measured here by hyperslice bench)\n")
    return best["terms_per_second"]


def compact(result):
    """A simulated run's JSON as kept: pi left null (nothing was summed), and per rank only what the
    simulation decides (slices, blocks, seconds, host) -- the synthetic placements would be megabytes at
    thousands of ranks and say nothing."""
    for k in ("pi", "pi_hex", "error"):
        result[k] = None
    keep = ("rank", "host", "threads", "slices", "blocks", "seconds")
    result["per_rank"] = [{k: r[k] for k in keep if k in r} for r in result.get("per_rank", [])]
    return result


def topology_of(cores):
    return f"pack:1 core:{cores} pu:1"


def run_point(a, hosts, ranks, threads, slices, rate, folder):
    hostfile = os.path.join(folder, f"hosts-{ranks}x{threads}")
    with open(hostfile, "w") as f:
        f.write("\n".join(hostfile_lines(hosts, ranks, threads)) + "\n")
    cores = hosts[0][1]
    # iprobe:0: SMPI charges every MPI_Iprobe that finds nothing a sleep of 1e-4 s times the number of
    # such calls so far (src/smpi/mpi/smpi_request.cpp: nsleeps, against busy loops that never advance
    # time), which grows quadratically over rank 0's polls between its own blocks (a 1-rank run of 6,100
    # blocks came out 48 % slow even at 1e-7 s). hyperslice's loops advance time by themselves (charged
    # compute; usleep while waiting), so a failed Iprobe costs nothing here. coll-selector: Open MPI's
    # collective algorithms (the default selector's reduce is quadratic in ranks to simulate); but not its
    # SMP-aware broadcast, whose set-up is a ring allgather over every rank (n^2 messages: 24 s of real
    # time at 1,024 ranks, 3.4 s with these two).
    # simulate-computation:no: only the charged compute advances a rank's clock, not the real CPU time this
    # machine spends between MPI calls (which depends on its load: two runs of one point differed by 28 %),
    # so a prediction is the same every time; the protocol's own costs are SimGrid's network model's.
    cmd = ["smpirun", "-np", str(ranks), "-platform", a.platform, "-hostfile", hostfile,
           "--cfg=smpi/host-speed:1Gf", "--cfg=smpi/simulate-computation:no", "--cfg=smpi/iprobe:0", "--cfg=smpi/coll-selector:ompi",
           "--cfg=smpi/bcast:binomial_tree", "--cfg=smpi/allgather:bruck",
           "--cfg=smpi/tmpdir:" + folder, "--log=root.thres:critical", *shlex.split(a.smpirun_args),
           a.binary, "run", "--json", "--quiet", "--schedule", a.schedule, "--threads", str(threads),
           "--slices", str(slices)]
    cmd += ["--terms", str(a.terms)] if a.terms else ["--slice-size", str(a.slice_size)]
    cmd += ["--group-size", str(a.group_size)] if a.group_size else []
    env = dict(os.environ, HYPERSLICE_SIM_RATE=repr(rate), HYPERSLICE_SIM_TOPOLOGY=topology_of(cores))
    env.pop("OMP_NUM_THREADS", None)
    rec = {"ranks": ranks, "threads": threads, "slices": slices, "simulated": True,
           "oversubscribed": ranks * threads > sum(c for _, c in hosts),
           "command": " ".join(shlex.quote(c) for c in cmd)}
    t0 = time.time()
    try:
        # In the scratch folder: smpirun leaves its own temporary hostfiles in the working directory.
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=a.timeout, cwd=folder)
        rec["wall_seconds"] = time.time() - t0
        start = p.stdout.find("{")
        if p.returncode != 0 or start < 0:
            rec["error"] = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
        else:
            rec["result"] = compact(json.loads(p.stdout[start:]))
    except subprocess.TimeoutExpired:
        rec["error"] = f"timed out after {a.timeout} s"
    return rec


def report(a, argv, runs, context, hosts):
    """results.json, tables and plots, as scripts/sweep writes them, marked as simulated."""
    rows = summarise(runs)  # (a simulated run has no pi_hex: the rows' lists are empty)
    name = os.path.basename(a.platform)
    cores = hosts[0][1]
    work = f"{a.terms:.3g} terms" if a.terms else f"slices x {a.slice_size:.3g} terms"
    title = (f"SIMULATED scaling (SimGrid SMPI, predicted times): {work}, {a.schedule} schedule, platform {name} "
             f"({len(hosts)} hosts x {cores} cores), {context['rate']:.3g} terms/s per thread")
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"schema_version": SCHEMA_VERSION, "simulated": True, "platform": name, "context": context,
                   "argv": argv, "nodes": {h: c for h, c in hosts}, "runs": runs, "points": rows}, f, indent=1)
    seed_like = name == "seed-cluster.xml" and a.slice_size == 1000000
    write_tables(a.out, rows, a.repeat, title, seed_like)
    with open(os.path.join(a.out, "scaling.md"), "a") as f:
        f.write(f"\nSimulated, not measured: SimGrid {context['mpi_library']} on platform {name}; compute charged at "
                f"{context['rate']:.4g} terms/s per thread; times are predictions (docs/simulation.md).\n")
    plot_context = dict(context, hostname=f"simulated on {name}", cpu_model=f"{context['rate']:.3g} terms/s/thread")
    plot(a.out, rows, title, plot_context, seed_like)
    return rows


def replot(folder):
    d = load_results(folder)
    a = parse_args(d["argv"] + ["--out", folder, "--force"])
    report(a, d["argv"], d["runs"], d["context"], list(d["nodes"].items()))
    print(f"simulate: rewrote {folder}/scaling.csv, scaling.md, scaling.png, scaling.svg")
    return 0


def run(argv):
    if argv[:1] == ["--replot"]:
        if len(argv) != 2:
            raise UsageError("--replot DIR: give one folder, and nothing else")
        return replot(argv[1])
    a = parse_args(argv)
    hosts = platform_hosts(a.platform)
    make_out(a.out)
    started = time.time()
    rate = a.rate or measured_rate(a)
    runs = []
    points = [(r, t, s) for s in a.slices for r in a.ranks for t in a.threads]
    with tempfile.TemporaryDirectory(prefix="hyperslice-smpi-") as folder:
        for i, (ranks, threads, slices) in enumerate(points):
            for rep in range(a.repeat):
                sys.stderr.write(f"simulate: [{i + 1}/{len(points)}] ranks={ranks} threads={threads} slices={slices} "
                                 f"run {rep + 1}/{a.repeat}, {time.time() - started:.0f} s elapsed\n")
                rec = run_point(a, hosts, ranks, threads, slices, rate, folder)
                rec["repeat"] = rep + 1
                if "error" in rec:
                    sys.stderr.write(f"simulate: point ranks={ranks} threads={threads} slices={slices} failed: "
                                     f"{rec['error']}\n")
                runs.append(rec)
    first = next((r["result"]["context"] for r in runs if "result" in r), None)
    if first is None:
        sys.stderr.write(f"simulate: error: every point failed (first: {runs[0]['error']})\n")
        return 1
    context = dict(first, simulated=True, platform=os.path.basename(a.platform), rate=rate,
                   command_line=" ".join(shlex.quote(x) for x in [sys.argv[0], *argv]),
                   date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                   real_seconds=round(time.time() - started, 1))
    rows = report(a, argv, runs, context, hosts)
    failed = [r for r in rows if r["failed"]]
    print(f"simulate: {len(rows)} points, {len(failed)} failed, {time.time() - started:.0f} s of real time; wrote "
          f"{a.out}/results.json, scaling.csv, scaling.md, scaling.png, scaling.svg (all SIMULATED)")
    return 1 if failed else 0


def main(argv):
    return guarded("simulate", run, argv)

