"""What the Python tests of the hyperslice executable share: their command line (the binary or build, the
repository root) and the environment mpirun needs, reading a checkpoint's progress, waiting on observable
state (never a fixed sleep, so no test depends on how fast the CPU is), and checking JSON outputs against
their schemas in docs/schema/."""
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = os.path.join(REPO, "docs", "schema")
sys.path.insert(0, os.path.join(REPO, "python"))
from hyperslice_tools import program  # noqa: E402


def binary_and_root(default, absolute=False):
    """A test's two arguments, as ctest passes them: the hyperslice binary (or build folder) and the
    repository root; the defaults when run by hand from the root."""
    binary = sys.argv[1] if len(sys.argv) > 1 else default
    root = sys.argv[2] if len(sys.argv) > 2 else "."
    return (os.path.abspath(binary), os.path.abspath(root)) if absolute else (binary, root)


def mpi_env(**extra):
    """The environment for mpirun as root (hyperslice_tools.program.mpi_env: the one place that says
    what Open MPI needs), with `extra` variables added."""
    return dict(program.mpi_env(), **extra)

# Every rank computes 3 slices, reports 2, then holds its third until the run is interrupted
# (HYPERSLICE_FAULT pause): the job stands still with exactly 2 x ranks slices done, however fast the CPU.
HOLD = "pause@*:3"


def done_count(ck):
    """Slices a checkpoint file holds (0 while it does not exist yet)."""
    try:
        with open(ck) as f:
            line = next(l for l in f.read().splitlines() if l.startswith("done "))
    except (OSError, StopIteration):
        return 0
    return sum(int(b or a) - int(a) + 1 for a, _, b in (p.partition("-") for p in line[5:].split(",") if p != "-"))


def done_slices(ck):
    """The slice indices a checkpoint file holds."""
    with open(ck) as f:
        line = next(l for l in f.read().splitlines() if l.startswith("done "))
    return [s for a, _, b in (p.partition("-") for p in line[5:].split(",") if p != "-")
            for s in range(int(a), int(b or a) + 1)]


def terms_of_slice(s, terms, slices, block=65536):
    """Terms in slice s of the plan (engine/plan.cpp): slice s holds blocks [B s / S, B (s+1) / S)."""
    terms, blocks = int(terms), (int(terms) + block - 1) // block
    first, end = blocks * s // slices, blocks * (s + 1) // slices
    return min(terms, end * block) - min(terms, first * block)


def wait_for(predicate, what, timeout=60):
    """Waits on something observable; raises AssertionError if it never happens (a hang guard)."""
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def start_held_job(cmd, ck, slices_done, env, **popen_args):
    """Starts `cmd` (an mpirun line with HYPERSLICE_FAULT=HOLD in `env` or its -x) and returns it once
    its checkpoint `ck` shows `slices_done` slices; kills it if that never happens."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **popen_args)
    try:
        wait_for(lambda: done_count(ck) == slices_done or p.poll() is not None,
                 f"the held job's checkpoint to show {slices_done} slices")
        if p.poll() is not None:
            raise AssertionError(f"the held job ended early (exit {p.returncode}): {p.communicate()[1]}")
    except AssertionError:
        if p.poll() is None:
            p.kill()
            p.communicate()
        raise
    return p


def child_pids(pid):
    return [int(x) for x in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]


def gone(pids):
    return not any(os.path.exists(f"/proc/{pid}") for pid in pids)


def _bundle(node, defs, prefix="#"):
    """Copies `node` with every reference to another schema file ("context.schema.json") turned into a
    reference into the root's $defs, where that file is inlined: plain JSON pointers, which every
    jsonschema version resolves without a network or file resolver."""
    if isinstance(node, list):
        return [_bundle(x, defs, prefix) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and not value.startswith("#"):
            name = value.removesuffix(".schema.json")
            if name not in defs:
                defs[name] = None  # placeholder: a cycle stops here
                with open(os.path.join(SCHEMA_DIR, value)) as f:
                    sub = json.load(f)
                sub.pop("$schema", None)
                defs[name] = _bundle(sub, defs, f"#/$defs/{name}")
            out[key] = f"#/$defs/{name}"
        elif key == "$ref":
            out[key] = prefix + value[1:] if prefix != "#" else value
        else:
            out[key] = _bundle(value, defs, prefix)
    return out


def validate(doc, schema):
    """Raises jsonschema.ValidationError unless `doc` matches docs/schema/<schema>.schema.json (JSON Schema
    2020-12; references to the folder's other schema files are inlined first)."""
    import jsonschema
    with open(os.path.join(SCHEMA_DIR, f"{schema}.schema.json")) as f:
        spec = json.load(f)
    defs = {}
    spec = _bundle(spec, defs)
    spec.setdefault("$defs", {}).update(defs)
    jsonschema.Draft202012Validator.check_schema(spec)
    jsonschema.Draft202012Validator(spec).validate(doc)
    return doc


def namespaces_missing():
    """Why the virtual cluster (network namespaces, as root) cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return "not root"
    p = subprocess.run(["ip", "netns", "add", "hsvc-probe"], capture_output=True, text=True)
    if p.returncode != 0:
        return f"cannot make a network namespace: {p.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", "hsvc-probe"], capture_output=True)
    return None


def chromium():
    """Debian's chromium (scripts/setup installs it), or None."""
    for name in ("chromium", "chromium-browser"):
        for d in ("/usr/bin", "/usr/local/bin"):
            if os.access(os.path.join(d, name), os.X_OK):
                return os.path.join(d, name)
    return None


def open_in_browser(html_path, screenshot=None, width=1300, height=2000):
    """Loads a report in headless Chromium (--no-sandbox: root) and returns (the DOM after load, the
    page's console messages). With `screenshot`, also a PNG of the first `height` pixels there. Each
    browser gets its own throwaway profile, so that two tests never share one."""
    import tempfile
    browser = chromium()
    if browser is None:
        raise AssertionError("chromium is not installed (scripts/setup installs it)")
    url = "file://" + os.path.abspath(html_path)
    with tempfile.TemporaryDirectory() as profile:
        base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                f"--user-data-dir={profile}", f"--window-size={width},{height}"]
        p = subprocess.run(base + ["--enable-logging=stderr", "--v=0", "--dump-dom", url], capture_output=True,
                           text=True, timeout=120)
        if p.returncode != 0 or "</html>" not in p.stdout:
            raise AssertionError(f"chromium could not load {html_path}: rc {p.returncode}\n{p.stderr[-2000:]}")
        # Chromium logs the page's console (console.log, uncaught errors) as "...:CONSOLE(line)] message".
        console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
        if screenshot:
            s = subprocess.run(base + [f"--screenshot={os.path.abspath(screenshot)}", url], capture_output=True,
                               text=True, timeout=120)
            if s.returncode != 0 or not os.path.isfile(screenshot):
                raise AssertionError(f"chromium took no screenshot of {html_path}: {s.stderr[-2000:]}")
            with open(screenshot, "rb") as f:
                if f.read(8) != b"\x89PNG\r\n\x1a\n":
                    raise AssertionError(f"{screenshot} is not a PNG")
    return p.stdout, console
