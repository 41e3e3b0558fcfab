"""The context block hyperslice puts in every JSON output (version, git commit, build type, compiler, MPI
library, hwloc, date, host, CPU model, command line), for the bench scripts' own results files: read from
the build's `hyperslice topology --json`, with the script's command line and start time."""
import json
import os
import shlex
import subprocess
import sys
import time


def hyperslice_context(build, started=None):
    exe = os.path.join(build, "cli/hyperslice")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    p = subprocess.run([exe, "topology", "--json"], capture_output=True, text=True, env=env, timeout=120)
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
