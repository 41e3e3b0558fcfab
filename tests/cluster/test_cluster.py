#!/usr/bin/python3
"""The multi-node path on a virtual cluster (scripts/virtual-cluster): 3 nodes over ssh with Open MPI.

hello shows 3 distinct hostnames; run across them gives the same pi_hex as one node; a node killed
mid-run (the job held at a known point) ends the job non-zero, the checkpoint survives, and --resume on the
remaining nodes gives the same pi_hex as an uninterrupted run. Skips (exit 77, with the reason) only
where network namespaces cannot be made.  Run by ctest: test_cluster.py <hyperslice> <root>
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import HOLD, binary_and_root, done_count, mpi_env, start_held_job  # noqa: E402

BIN, ROOT = binary_and_root("build/release/cli/hyperslice", absolute=True)
VC = os.path.join(ROOT, "scripts/virtual-cluster")
ENV = mpi_env(HYPERSLICE_VC_STATE="/run/hyperslice-vc-test")
SEED_PI_HEX = "0x1.921fb5337bd9ep+1"


def vc(*args, timeout=120, check=True):
    p = subprocess.run([VC, *args], capture_output=True, text=True, env=ENV, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"virtual-cluster {' '.join(args)} failed: {p.stderr}")
    return p


def namespaces_work():
    if os.geteuid() != 0:
        return "not root"
    p = subprocess.run(["ip", "netns", "add", "hsvc-probe"], capture_output=True, text=True)
    if p.returncode != 0:
        return f"cannot make a network namespace: {p.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", "hsvc-probe"], capture_output=True)
    return None


class VirtualCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        vc("down", check=False)
        vc("up", "3")

    @classmethod
    def tearDownClass(cls):
        vc("down", check=False)

    def test_1_hello_shows_three_hosts(self):
        p = vc("mpirun", "-np", "3", BIN, "hello", "--threads", "1", "--json")
        d = json.loads(p.stdout)
        self.assertEqual(d["hello"], [f"Hello, World! I am process {r} of 3 on node{r + 1}." for r in range(3)])

    def test_2_run_across_nodes_gives_the_one_node_bits(self):
        p = vc("mpirun", "-np", "3", BIN, "run", "--json", "--no-pin", "--threads", "1")
        d = json.loads(p.stdout)
        self.assertEqual(d["hosts"], ["node1", "node2", "node3"])
        self.assertEqual(float.fromhex(d["pi_hex"]), float.fromhex(SEED_PI_HEX))

    def test_3_node_killed_mid_run_then_resume_on_fewer_nodes(self):
        args = ["run", "--json", "--no-pin", "--threads", "1", "--kernel", "leibniz-paired", "--terms", "2e9"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            # Every rank holds its third slice (HYPERSLICE_FAULT pause): the job is still running, with
            # exactly 6 slices done, when the node dies -- however fast the CPU.
            job = start_held_job([VC, "mpirun", "-x", f"HYPERSLICE_FAULT={HOLD}", "-np", "3", BIN, *args,
                                  "--checkpoint", ck, "--checkpoint-every", "0.05"], ck, 6, ENV)
            vc("kill", "node3")
            out, err = job.communicate(timeout=90)
            self.assertNotEqual(job.returncode, 0, "the job must fail when a node dies")
            self.assertIn("lost communication", err + out)
            self.assertEqual(done_count(ck), 6)

            vc("up", "2")  # the surviving nodes
            p = vc("mpirun", "-np", "2", BIN, *args, "--checkpoint", ck, "--resume")
            resumed = json.loads(p.stdout)
            self.assertEqual(resumed["hosts"], ["node1", "node2"])
            self.assertEqual(resumed["resumed_slices"], 6)
            local = subprocess.run(["mpirun", "-q", "-np", "2", BIN, *args], capture_output=True, text=True, env=ENV)
            self.assertEqual(resumed["pi_hex"], json.loads(local.stdout)["pi_hex"])


if __name__ == "__main__":
    why = namespaces_work()
    if why:
        print(f"SKIP: virtual cluster unavailable here: {why}")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0], "-v"])
