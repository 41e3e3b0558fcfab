#!/usr/bin/python3
"""cli.Checkpoints: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_checkpoints.py <path to hyperslice> <repo root>"""
import json
import os
import signal
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import OneErrorLine, BIN, ENV, launch, mpirun  # noqa: E402
from harness import HOLD, child_pids, done_slices, gone, start_held_job, terms_of_slice, wait_for  # noqa: E402


class Checkpoints(OneErrorLine, unittest.TestCase):
    def test_killed_run_resumes_to_the_same_bits_on_another_layout(self):
        args = ["run", "--json", "--kernel", "leibniz-paired", "--terms", "64e6", "--slices", "64"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            cmd = launch(2) + [BIN] + args + ["--checkpoint", ck, "--checkpoint-every", "0.05"]
            p = start_held_job(cmd, ck, 4, dict(ENV, HYPERSLICE_FAULT=HOLD), start_new_session=True)
            ranks = child_pids(p.pid)
            os.killpg(p.pid, signal.SIGKILL)  # the whole job, as a power cut would
            p.communicate()
            # The dead job's lock goes with its last process (flock): wait for them, not for a guess.
            wait_for(lambda: gone(ranks), "the killed ranks to be gone")
            resumed_terms = sum(terms_of_slice(s, 64e6, 64) for s in done_slices(ck))
            resumed = mpirun(1, *args, "--threads", "2", "--checkpoint", ck, "--resume", mpi_args=["--bind-to", "none"])
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual(r["resumed_slices"], 4)
            fresh = json.loads(mpirun(2, *args).stdout)
            self.assertEqual(r["pi_hex"], fresh["pi_hex"])
            # The rate counts only this run's own terms: 60 of the 64 slices of 10^6 (whole 65,536-term blocks).
            self.assertEqual(fresh["terms_computed"], 64000000)
            self.assertEqual(r["terms_computed"], 64000000 - resumed_terms)
            self.assertAlmostEqual(r["terms_per_second"], r["terms_computed"] / r["seconds"], delta=1)
            # Run again on the finished checkpoint: nothing is computed, and no rate is made up.
            again = mpirun(1, *args, "--checkpoint", ck, "--resume")
            self.assertEqual(again.returncode, 0, again.stderr)
            a = json.loads(again.stdout)
            self.assertEqual((a["resumed_slices"], a["terms_computed"], a["terms_per_second"]), (64, 0, 0))
            self.assertEqual(a["pi_hex"], fresh["pi_hex"])

    def test_bad_checkpoints(self):
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "c.ckpt")
            base = ["run", "--terms", "1e6", "--slices", "8", "--checkpoint", ck]
            self.assertEqual(mpirun(1, *base, "--json").returncode, 0)
            good = open(ck).read()
            for name, text, needle in [("empty", "", "is empty"),
                                       ("truncated", good[: len(good) // 2], "is truncated"),
                                       ("corrupt", good.replace("done 0-7", "done 0-6"), "checksum mismatch"),
                                       ("binary", "\x00\x01\x02\n", "not a hyperslice checkpoint")]:
                with open(ck, "w") as f:
                    f.write(text)
                self.expect_error(base + ["--resume"], needle)
            with open(ck, "w") as f:
                f.write(good)
            self.expect_error(["run", "--terms", "2e6", "--slices", "8", "--checkpoint", ck, "--resume"],
                                  "is for kernel leibniz-grouped, 1000000 terms, 8 slices")
        self.expect_error(["run", "--resume"], "--resume needs --checkpoint FILE")
        self.expect_error(["run", "--force"], "--force needs --checkpoint FILE")
        self.expect_error(["run", "--checkpoint", "/tmp/x.ckpt", "--resume"] if not os.path.exists("/tmp/x.ckpt")
                              else ["run", "--checkpoint", "/nonexistent/x", "--resume"], "cannot read checkpoint")
        self.expect_error(["run", "--checkpoint", "/nonexistent/dir/run.ckpt"], "--checkpoint: cannot write")
        self.expect_error(["run", "--checkpoint-every", "0"], "--checkpoint-every: expected seconds")
        self.expect_error(["run", "--fail-timeout", "soon"], "--fail-timeout: expected seconds")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
