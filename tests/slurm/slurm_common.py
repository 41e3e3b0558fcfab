"""What the Slurm tests (tests/slurm/test_*.py, each its own ctest entry) share: the binary, the virtual
cluster's script and state folder, its Slurm clients, and the skip (exit 77, with the reason) where network
namespaces cannot be made or Slurm is not installed. Each runs as: test_<name>.py <hyperslice> <root>."""
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402
from harness import binary_and_root, mpi_env  # noqa: E402

BIN, ROOT = binary_and_root("build/release/cli/hyperslice", absolute=True)
VC = os.path.join(ROOT, "scripts/virtual-cluster")
ENV = mpi_env(HYPERSLICE_VC_STATE="/run/hyperslice-vc-test")
for k in ["OMP_PLACES", "OMP_PROC_BIND", "HYPERSLICE_FAULT"]:
    ENV.pop(k, None)

def vc(*args, env=ENV, timeout=120, check=True):
    p = subprocess.run([VC, *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"virtual-cluster {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


def slurm(*args, **kw):
    return vc("slurm", *args, **kw)


def skip_reason():
    if os.geteuid() != 0:
        return "not root"
    missing = [c for c in ["slurmctld", "slurmd", "sinfo", "munged"] if not shutil.which(c, path=os.environ["PATH"] + ":/usr/sbin")]
    if missing:
        return f"Slurm is not installed ({', '.join(missing)} missing: apt-get install slurmctld slurmd slurm-client munge)"
    return harness.namespaces_missing()


def main():
    reason = skip_reason()
    if reason:
        print(f"skipped: {reason}")
        sys.exit(77)
    sys.argv[1:] = []
    unittest.main(verbosity=2)
