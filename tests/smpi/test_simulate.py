#!/usr/bin/python3
"""scripts/simulate on a tiny grid (the smpi preset's own test, label smpi): the real protocol under SimGrid
gives the predicted times a model of it must (never faster than the ideal split, close to it when
compute dominates), in the sweep's formats, marked as simulated and naming the platform; bad input is
one line.   Run by ctest: test_simulate.py <hyperslice built with the smpi preset> <root>
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import binary_and_root  # noqa: E402

BIN, ROOT = binary_and_root("build/smpi/cli/hyperslice", absolute=True)
SIMULATE = os.path.join(ROOT, "scripts/simulate")
PLATFORM = os.path.join(ROOT, "configs/platforms/cluster-16x32-10gbe.xml")
RATE = 1e8  # terms/s per thread: given, so that nothing depends on this machine's speed


def simulate(*args):
    return subprocess.run([SIMULATE, "--binary", BIN, *args], capture_output=True, text=True, timeout=600)


class Simulate(unittest.TestCase):
    def test_grid_in_the_sweeps_formats_marked_simulated(self):
        with tempfile.TemporaryDirectory() as out:
            p = simulate("--platform", PLATFORM, "--ranks", "1,4,64", "--threads", "1,2", "--slices", "64",
                         "--terms", "4e8", "--rate", str(RATE), "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(os.path.join(out, "results.json")) as f:
                d = json.load(f)
            self.assertTrue(d["simulated"])
            self.assertEqual(d["platform"], "cluster-16x32-10gbe.xml")
            self.assertEqual(d["context"]["rate"], RATE)
            self.assertIn("SMPI", d["context"]["mpi_library"])
            self.assertEqual(len(d["nodes"]), 16)
            times = {}
            for r in d["runs"]:
                self.assertNotIn("error", r)
                self.assertTrue(r["simulated"])
                res = r["result"]
                self.assertIsNone(res["pi_hex"], "a simulation computes no pi")
                self.assertEqual((res["ranks"], res["threads"], res["terms"]), (r["ranks"], r["threads"], 400000000))
                times[(r["ranks"], r["threads"])] = res["seconds"]
            for (ranks, threads), t in times.items():
                ideal = 4e8 / (ranks * threads * RATE)
                self.assertGreaterEqual(t, ideal * 0.999, (ranks, threads))
                if ranks * threads <= 8:  # 64 slices over a few workers: compute dominates
                    self.assertLess(t, ideal * 1.25, (ranks, threads, t))
            # 64 ranks x 2 threads: one slice each, the protocol's own cost shows, still faster than 4 x 2.
            self.assertLess(times[(64, 2)], times[(4, 2)])
            with open(os.path.join(out, "scaling.csv")) as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 6)
            md = open(os.path.join(out, "scaling.md")).read()
            self.assertTrue(md.startswith("# SIMULATED scaling (SimGrid SMPI, predicted times)"), md[:200])
            self.assertIn("platform cluster-16x32-10gbe.xml", md)
            if os.path.exists(os.path.join(out, "scaling.png")):  # matplotlib present (scripts/setup installs it)
                self.assertGreater(os.path.getsize(os.path.join(out, "scaling.png")), 10000)

    def test_hierarchical_schedule_lifts_the_single_masters_ceiling(self):
        # 512 ranks on the 16 hosts with slices of 1 ms: under the dynamic schedule rank 0 receives every
        # request and result and the run is bound by its message rate; under the hierarchical one it
        # hears from 15 leaders (one per host, in batches) and its own host's 31 ranks.
        times = {}
        for sched in ["dynamic", "hierarchical"]:
            with tempfile.TemporaryDirectory() as out:
                p = simulate("--platform", PLATFORM, "--ranks", "512", "--slices", "16384", "--slice-size", "100000",
                             "--rate", str(RATE), "--schedule", sched, "--out", out)
                self.assertEqual(p.returncode, 0, p.stderr)
                with open(os.path.join(out, "results.json")) as f:
                    res = json.load(f)["runs"][0]["result"]
            self.assertEqual(res["schedule"], sched)
            self.assertEqual(res.get("groups"), 16 if sched == "hierarchical" else None)
            self.assertEqual(sum(r["slices"] for r in res["per_rank"]), 16384)
            times[sched] = res["seconds"]
            self.assertGreaterEqual(times[sched], 16384 * 100000 / (512 * RATE) * 0.999)
        self.assertLess(times["hierarchical"], 0.8 * times["dynamic"], times)

    def test_bad_input_is_one_line(self):
        for args, needle in [(["--platform", "/nonexistent.xml", "--ranks", "2", "--slices", "4", "--terms", "1e6"],
                              "--platform: cannot read '/nonexistent.xml'"),
                             (["--platform", PLATFORM, "--ranks", "2", "--slices", "4"],
                              "give exactly one of --slice-size and --terms"),
                             (["--platform", PLATFORM, "--ranks", "2", "--slices", "4", "--terms", "1e6", "--rate", "-1"],
                              "--rate: expected a positive number"),
                             (["--platform", PLATFORM, "--ranks", "2", "--slices", "4", "--terms", "1e6", "--group-size", "2"],
                              "--group-size: only with --schedule hierarchical")]:
            with tempfile.TemporaryDirectory() as out:
                p = simulate(*args, "--out", out)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
                self.assertIn(needle, p.stderr)


if __name__ == "__main__":
    sys.argv[1:] = []
    unittest.main(verbosity=2)
