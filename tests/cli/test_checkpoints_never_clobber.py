#!/usr/bin/python3
"""cli.CheckpointsNeverClobber: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_checkpoints_never_clobber.py <path to hyperslice> <repo root>"""
import json
import os
import signal
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import OneErrorLine, BIN, ENV, launch, mpirun  # noqa: E402
from harness import HOLD, done_count, start_held_job  # noqa: E402


class CheckpointsNeverClobber(OneErrorLine, unittest.TestCase):
    def test_only_a_checkpoint_is_ever_replaced(self):
        with tempfile.TemporaryDirectory() as d:
            user = os.path.join(d, "results.csv")
            with open(user, "w") as f:
                f.write("n,seconds\n")
            link = os.path.join(d, "link.ckpt")
            os.symlink(user, link)
            fifo = os.path.join(d, "fifo.ckpt")
            os.mkfifo(fifo)
            base = ["run", "--terms", "1e6", "--slices", "8"]
            for extra in [[], ["--force"]]:
                self.expect_error(base + ["--checkpoint", user] + extra, "exists and is not a hyperslice checkpoint")
                self.expect_error(base + ["--checkpoint", link] + extra, "is a symbolic link")
                self.expect_error(base + ["--checkpoint", fifo] + extra, "is a FIFO, not a checkpoint")
                self.expect_error(base + ["--checkpoint", d] + extra, "is a folder, not a checkpoint")
            if os.geteuid() == 0:  # our own /dev/full (1, 7), never the machine's
                dev = os.path.join(d, "full")
                os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
                self.expect_error(base + ["--checkpoint", dev, "--force"], "is a character device")
                self.assertTrue(stat.S_ISCHR(os.lstat(dev).st_mode))
            with open(user) as f:
                self.assertEqual(f.read(), "n,seconds\n")
            self.assertTrue(os.path.islink(link) and stat.S_ISFIFO(os.lstat(fifo).st_mode))
            self.assertEqual(sorted(os.listdir(d)), sorted(["results.csv", "link.ckpt", "fifo.ckpt"] +
                                                            (["full"] if os.geteuid() == 0 else [])))

            ck = os.path.join(d, "run.ckpt")
            self.assertEqual(mpirun(2, *base, "--checkpoint", ck).returncode, 0)
            self.expect_error(base + ["--checkpoint", ck], "already holds a checkpoint; add --resume")
            self.expect_error(base + ["--checkpoint", ck, "--force", "--resume"], "exclude each other")
            again = mpirun(2, *base, "--json", "--checkpoint", ck, "--force")
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertEqual(json.loads(again.stdout)["resumed_slices"], 0)

    def test_a_second_job_on_the_same_checkpoint_is_refused(self):
        args = ["run", "--terms", "64e6", "--slices", "64", "--quiet"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            first = start_held_job(launch(2) + [BIN] + args + ["--checkpoint", ck, "--checkpoint-every", "0.05"],
                                   ck, 4, dict(ENV, HYPERSLICE_FAULT=HOLD))
            try:
                self.expect_error(args + ["--checkpoint", ck, "--resume"],
                                      f"'{ck}' is in use by another hyperslice job (it holds '{ck}.lock')")
                self.assertEqual(done_count(ck), 4, "the second job touched nothing")
            finally:
                first.send_signal(signal.SIGTERM)
                first.communicate(timeout=60)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
