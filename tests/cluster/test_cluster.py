#!/usr/bin/python3
"""The multi-node path on a virtual cluster (scripts/virtual-cluster): 3 nodes over ssh with Open MPI.

hello shows 3 distinct hostnames; run across them gives the same pi_hex as one node; a node killed
mid-run (the job held at a known point) ends the job non-zero, the checkpoint survives, and --resume on the
remaining nodes gives the same pi_hex as an uninterrupted run; `check` fails a node made busy (two
processes on its rank's core) and names a link shaped to 200 Mbit/s, by measurement, and passes all once
both are gone, its --html page marking the failing node and the slow link in a browser. Skips (exit 77, with the reason) only where network namespaces cannot be made.  Run by ctest: test_cluster.py <hyperslice> <root>
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import (HOLD, binary_and_root, done_count, mpi_env, namespaces_missing, open_in_browser,  # noqa: E402
                     start_held_job, validate)

BIN, ROOT = binary_and_root("build/release/cli/hyperslice", absolute=True)
VC = os.path.join(ROOT, "scripts/virtual-cluster")
ENV = mpi_env(HYPERSLICE_VC_STATE="/run/hyperslice-vc-test")
SEED_PI_HEX = "0x1.921fb5337bd9ep+1"


def vc(*args, timeout=120, check=True):
    p = subprocess.run([VC, *args], capture_output=True, text=True, env=ENV, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"virtual-cluster {' '.join(args)} failed: {p.stderr}")
    return p


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

    def check(self, html=()):
        # --tolerance 0.3: the virtual nodes share 2 cores, and clean host pairs spread by up to 20% here
        # (one read 83% of the median, twice); the faults below measure 35-75% (a core) and 2-12% (a link).
        html = ["--html", html] if html else []
        p = vc("mpirun", "-np", "3", BIN, "check", "--json", "--tolerance", "0.3", *html, timeout=300, check=False)
        self.assertIn(p.returncode, (0, 5), p.stderr)
        d = validate(json.loads(p.stdout), "check")
        d["why"] = "\n".join([f"{n['host']}: {f['message']}" for n in d["nodes"] for f in n["findings"]] +
                             [f["message"] for f in d["cluster"]])
        return p.returncode, d

    def test_3_check_fails_the_busy_node_and_the_shaped_link_by_measurement(self):
        # The nodes share this machine's cores, each its own cgroup (scripts/virtual-cluster): the kernel
        # gives each node a fair share of a core, whatever runs in it. Nothing tells hyperslice of either
        # fault: the measurement must find them, twice (its second round). One at a time: with both, 4 of
        # the 6 host pairs touch the busy node and 2 are shaped, so no healthy majority of links is left
        # to judge a link against (a run here then blamed node3 too).
        #
        # Two busy processes in node2, on the core its rank is pinned to (a node's first), leave that
        # rank a third of node2's share: node2 fails, by its core, and the others pass.
        # Each says so once it spins, and the check starts only then (nsenter, the cgroup and Python's
        # start-up come first).
        hogs = [subprocess.Popen([VC, "exec", "node2", "taskset", "-c", "0", sys.executable, "-c",
                                  "print('spinning', flush=True)\nwhile True: pass"],
                                 env=ENV, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        pages = tempfile.TemporaryDirectory()
        self.addCleanup(pages.cleanup)
        busy_html, shaped_html = os.path.join(pages.name, "busy.html"), os.path.join(pages.name, "shaped.html")
        try:
            for h in hogs:
                self.assertEqual(h.stdout.readline().strip(), "spinning")
            rc, d = self.check(busy_html)
        finally:
            for h in hogs:
                h.kill()
                h.wait()
        self.assertEqual(rc, 5, d["why"])
        self.assertEqual([(n["host"], n["status"]) for n in d["nodes"]],
                         [("node1", "PASS"), ("node2", "FAIL"), ("node3", "PASS")], d["why"])
        # by what the hogs take from it, found by the measurement: its core, or its memory (streaming on a
        # third of the core): one run here read its triad at 34% of the median, listed before the core;
        # one CI run read the triad at 61% and its links at half the median while its core passed). Its
        # links alone would not do: they are slow when any node is.
        self.assertTrue(any(re.match(r"^(rank 1's core: \S+ terms/s|(copy|triad) \S+ GB/s) .*% of the median",
                                     f["message"]) for f in d["nodes"][1]["findings"]), d["why"])
        # its page, in a browser: node2 marked failing, every host drawn with its rank on its PU
        dom, console = open_in_browser(busy_html, os.path.join(pages.name, "busy.png"))
        self.assertEqual(console, [])
        self.assertEqual(re.findall(r'<figure class="host (\w+)" id="doc-1-host-(node\d)"', dom),
                         [("PASS", "node1"), ("FAIL", "node2"), ("PASS", "node3")])
        self.assertEqual(len(re.findall(r'class="pu busy"', dom)), 3)
        self.assertIn('<div class="verdict-banner FAIL"', dom)

        # node1 <-> node3 shaped both ways to 200 Mbit/s (tc htb; this kernel has no netem), 25 MB/s where
        # the others carry hundreds: those two host pairs are named, with their numbers; every node passes.
        try:
            vc("shape", "node1", "node3", "200mbit")
            rc, d = self.check(shaped_html)
        finally:
            vc("shape", "node1", "node3", "off", check=False)
        self.assertEqual(rc, 5, d["why"])
        self.assertEqual([n["status"] for n in d["nodes"]], ["PASS"] * 3, d["why"])
        slow = sorted((h["from"], h["to"]) for h in d["links"]["hosts"] if h["slow"])
        self.assertEqual(slow, [("node1", "node3"), ("node3", "node1")], d["why"])
        self.assertEqual(sorted(f["message"].split(":")[0] for f in d["cluster"] if f["stage"] == "links"),
                         ["node1 -> node3", "node3 -> node1"])
        dom, console = open_in_browser(shaped_html)
        self.assertEqual(console, [])
        self.assertEqual(sorted(re.findall(r'class="cell slow" data-from="(node\d)" data-to="(node\d)"', dom)),
                         [("node1", "node3"), ("node3", "node1")])

        # The faults gone, everything passes; each rank's step k received from rank - k.
        rc, d = self.check()
        self.assertEqual(rc, 0, d["why"])
        self.assertEqual([n["status"] for n in d["nodes"]], ["PASS"] * 3, d["why"])
        self.assertEqual([h["slow"] for h in d["links"]["hosts"]], [False] * 6)
        for r in d["per_rank"]:
            self.assertEqual([(l["to"], l["from"]) for l in r["links"]],
                             [((r["rank"] + k) % 3, (r["rank"] - k) % 3) for k in (1, 2)])
        for kernel in d["per_rank"][0]["bits"]:  # every rank and ISA the same sum, kernel by kernel
            self.assertEqual(len({h for r in d["per_rank"] for h in r["bits"][kernel].values()}), 1, kernel)

    def test_4_node_killed_mid_run_then_resume_on_fewer_nodes(self):
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
    why = namespaces_missing()
    if why:
        print(f"SKIP: virtual cluster unavailable here: {why}")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0], "-v"])
