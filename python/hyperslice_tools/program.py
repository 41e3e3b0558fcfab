"""The hyperslice program as the Python tools use it: where it is, the environment mpirun needs, and what
only the program knows -- hostfiles read by its own reader, each node's cores, and the recommended
command line for a layout (`hyperslice topology --recommend --json`), so that no launcher dialect or
hostfile syntax is written twice."""
import json
import os
import shlex
import shutil
import subprocess

from .errors import UsageError

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def default_binary(front_end):
    """The hyperslice a front end runs: the one installed beside it (bin/hyperslice-sweep), else the source
    tree's release build (scripts/sweep)."""
    here = os.path.dirname(os.path.abspath(front_end))
    beside = os.path.join(here, "hyperslice")
    if os.access(beside, os.X_OK):
        return beside
    return os.path.join(os.path.dirname(here), "build/release/cli/hyperslice")


def mpi_env(base=None):
    """The environment for mpirun: Open MPI refuses root without these two variables (every machine here
    runs as root); OMP_NUM_THREADS is left to each command, which sets it for its ranks."""
    env = dict(os.environ if base is None else base, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.pop("OMP_NUM_THREADS", None)
    return env


def _ask(binary, args, what, timeout=120):
    """`binary args...` (one rank, no mpirun): its JSON, or a UsageError with the program's own error line."""
    try:
        p = subprocess.run([binary, *args], capture_output=True, text=True, env=mpi_env(), timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except OSError as e:
        raise UsageError(f"{what}: cannot run '{binary}': {e.strerror}")
    if p.returncode != 0:
        line = (p.stderr.strip().splitlines() or [f"{binary} exited {p.returncode}"])[-1]
        raise UsageError(line.removeprefix("hyperslice: error: ") if line.startswith("hyperslice: error: ")
                         else f"{what}: {binary} could not read it ({line})")
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError as e:
        raise UsageError(f"{what}: {binary} gave no JSON ({e})")


def hostfile_slots(binary, path):
    """{host: slots} of an Open MPI hostfile or Hydra machinefile, read by the program's own reader
    (launch/hostfile.cpp), with its messages; a host without slots counts 1, as Open MPI counts it."""
    if not os.path.isfile(path):
        raise UsageError(f"--hostfile: cannot read '{path}' (not a file)")
    layout = _ask(binary, ["topology", "--recommend", "--hostfile", path, "--json"], "--hostfile")["recommendation"]
    return {h["host"]: h["slots"] or 1 for h in layout["hosts"]}


def node_cores(binary, hostfile, mpirun_args="", timeout=600):
    """Cores per node: this machine's, or each hostfile node's as `hyperslice topology` reports them."""
    if not hostfile:
        return {os.uname().nodename: os.cpu_count() or 1}
    n = len(hostfile_slots(binary, hostfile))
    cmd = (["mpirun", "-q", "--hostfile", hostfile, "--map-by", "node", "-np", str(n)] + shlex.split(mpirun_args) +
           [binary, "topology", "--json"])
    p = subprocess.run(cmd, capture_output=True, text=True, env=mpi_env(), timeout=timeout)
    if p.returncode != 0:
        raise UsageError(f"cannot read the nodes' topology: {p.stderr.strip().splitlines()[-1:]}")
    return {h["host"]: h["cores"] for h in json.loads(p.stdout)["hosts"]}


def recommended_argv(binary, ranks_per_node, nodes, hostfile=None, extra_launcher_args=""):
    """The program's recommended command for `ranks_per_node` ranks on each of `nodes` nodes (each rank
    bound to its share of the cores, threads told), word by word up to `hyperslice run`; extra launcher
    arguments go before the program."""
    args = ["topology", "--recommend", "--ranks-per-node", str(ranks_per_node), "--nodes", str(nodes), "--json"]
    if hostfile:
        args += ["--hostfile", hostfile]
    argv = _ask(binary, args, "the recommended command")["recommendation"]["argv"]
    return argv[:-2] + shlex.split(extra_launcher_args) + argv[-2:]


def program_name(binary):
    """How a user runs the binary: its plain name when that is what PATH finds, else its absolute path."""
    found = shutil.which("hyperslice")
    if found and os.path.samefile(found, binary):
        return "hyperslice"
    return os.path.abspath(binary)


def version_text(binary, front_end):
    """A front end is part of hyperslice: its version is that of the hyperslice it runs."""
    try:
        p = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60, env=mpi_env())
        first = p.stdout.splitlines()[0] if p.returncode == 0 and p.stdout else None
    except OSError:
        first = None
    if first is None:
        return f"{front_end} (the hyperslice it would run, {binary}, does not answer --version)"
    return f"{front_end}, part of {first}\nruns {binary}"
