"""What the bench/ scripts share: their common options (--build, --out, --force) and output folder, and
the context block hyperslice puts in every JSON output (version, git commit, build type, compiler, MPI
library, hwloc, date, host, CPU model, command line) for their own results files: read from the build's
`hyperslice topology --json`, with the script's command line and start time."""
import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time

from .program import mpi_env


def hyperslice_context(build, started=None):
    exe = os.path.join(build, "cli/hyperslice")
    p = subprocess.run([exe, "topology", "--json"], capture_output=True, text=True, env=mpi_env(), timeout=120)
    if p.returncode != 0:
        raise SystemExit(f"{exe} topology --json failed: {p.stderr.strip()}")
    context = json.loads(p.stdout)["context"]
    context["command_line"] = " ".join(shlex.quote(x) for x in sys.argv)
    context["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started or time.time()))
    return context


def output_folder(out, script, result_file, force):
    """Where a bench script writes: a new bench-out/<script>-<date>-<time> by default; an existing
    folder (bench/results/ included) only when its results are not there yet or --force says so."""
    if out is None:
        out = os.path.join("bench-out", time.strftime(f"{script}-%Y%m%d-%H%M%S"))
    if os.path.exists(os.path.join(out, result_file)) and not force:
        raise SystemExit(f"{script}: error: --out: '{out}' holds {result_file} already; pass --force to overwrite it")
    os.makedirs(out, exist_ok=True)
    return out


def bench_arguments(doc, script, result_file, add_options=None):
    """The parsed options of a bench script: its own (`add_options(parser)`), then --build, --out and
    --force; --out made into the output folder (output_folder)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    if add_options:
        add_options(ap)
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--out", help=f"output folder (default: a new bench-out/{script}-<date>-<time>); "
                    "bench/results/ is rewritten only with --out bench/results --force")
    ap.add_argument("--force", action="store_true", help="overwrite results already in --out")
    a = ap.parse_args()
    a.out = output_folder(a.out, script, result_file, a.force)
    return a


def machine():
    """This machine in one line: cores, CPU model, family and model numbers, hypervisor, host name."""
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fam = {k.strip(): v.strip() for k, v in (l.split(":", 1) for l in lscpu.splitlines() if ":" in l)}
    return (f"{os.cpu_count()}-core {model} (family {fam.get('CPU family', '?')} model {fam.get('Model', '?')}"
            f"{', ' + fam['Hypervisor vendor'] + ' VM' if 'Hypervisor vendor' in fam else ''}), {platform.node()}")
