"""What the Python tests of the hyperslice executable share: reading a checkpoint's progress, and
waiting on observable state (never a fixed sleep), so no test depends on how fast the CPU is."""
import os
import subprocess
import time

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
