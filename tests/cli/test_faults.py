#!/usr/bin/python3
"""cli.Faults: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_faults.py <path to hyperslice> <repo root>"""
import json
import os
import signal
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, FROM_MPIRUN, HELD_ARGS, HYDRA, held_two_rank_job, launch, mpirun, open_mpi_only, terms  # noqa: E402
from harness import HOLD, child_pids, done_count, start_held_job  # noqa: E402


class Faults(unittest.TestCase):
    @open_mpi_only
    def test_sigterm_flushes_the_checkpoint_and_resume_finishes(self):
        args = ["run", "--kernel", "leibniz-paired", "--terms", "64e6", "--slices", "64", "--quiet"]
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, args)
            p.send_signal(signal.SIGTERM)  # mpirun forwards it to every rank
            out, err = p.communicate(timeout=60)
            self.assertNotEqual(p.returncode, 0)
            ours = [l for l in err.splitlines() if l.startswith("hyperslice: ")]
            # Open MPI's mpirun sends its ranks its own SIGTERM, and rank 0 says who sent it; Hydra's proxy
            # passes the signal on.
            by = "SIGTERM" if HYDRA else FROM_MPIRUN
            self.assertEqual(ours, [f"hyperslice: interrupted by {by}: checkpoint '{ck}' holds 4 of 64 slices; "
                                    "rerun with --resume to finish"], err)
            self.assertFalse(os.path.exists(ck + ".lock"), "the lock is released")
            resumed = mpirun(2, *args, "--json", "--checkpoint", ck, "--resume")
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual(r["resumed_slices"], 4)
            self.assertEqual(r["pi_hex"], json.loads(mpirun(2, *args, "--json").stdout)["pi_hex"])

    @open_mpi_only
    def test_sigint_to_mpirun_is_reported_as_what_the_ranks_receive(self):
        # Ctrl-C (SIGINT) to mpirun: Open MPI 4.1 stops its ranks with SIGTERM and exits 1 itself. The
        # ranks cannot know it was a SIGINT, so the line names the SIGTERM and its sender, not a guess.
        args = HELD_ARGS
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, args)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 1, err)  # mpirun's own status after it stops a job (docs/hardening.md)
            self.assertIn(f"hyperslice: interrupted by {FROM_MPIRUN}: checkpoint '{ck}' holds 4 of 64 slices", err)
            # No launcher in between: the process sees the SIGINT itself and exits 128 + 2.
            q = start_held_job([BIN] + args + ["--checkpoint", ck, "--resume", "--checkpoint-every", "0.05"],
                               ck, 6, dict(ENV, HYPERSLICE_FAULT="pause@0:3"))
            q.send_signal(signal.SIGINT)
            out, err = q.communicate(timeout=60)
            self.assertEqual(q.returncode, 128 + signal.SIGINT, err)
            self.assertIn(f"hyperslice: interrupted by SIGINT: checkpoint '{ck}' holds 6 of 64 slices", err)

    @open_mpi_only
    def test_sigterm_straight_to_the_ranks_as_a_batch_system_sends_it(self):
        # No mpirun in between (Slurm's scancel, a node's OOM killer warning): the ranks stop themselves.
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, HELD_ARGS)
            ranks = child_pids(p.pid)
            self.assertEqual(len(ranks), 2)
            for pid in ranks:
                os.kill(pid, signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
            self.assertIn("holds 4 of 64 slices; rerun with --resume to finish", err)
            self.assertEqual(done_count(ck), 4)

    @open_mpi_only
    def test_sigterm_under_the_hierarchical_schedule_resumes_to_the_same_bits(self):
        # 4 ranks in groups of 2: rank 0 serves rank 1, rank 2 leads rank 3. Every rank holds its third
        # slice, so 8 are in: rank 3's two reached rank 0 through its leader.
        args = ["run", "--terms", "64e6", "--slices", "64", "--quiet", "--threads", "1"]
        hier = ["--schedule", "hierarchical", "--group-size", "2"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            p = start_held_job(launch(4) + [BIN] + args + hier +
                               ["--checkpoint", ck, "--checkpoint-every", "0.05"], ck, 8, dict(ENV, HYPERSLICE_FAULT=HOLD))
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            self.assertNotEqual(p.returncode, 0)
            ours = [l for l in err.splitlines() if l.startswith("hyperslice: ") and "oversubscribed" not in l]
            by = "SIGTERM" if HYDRA else FROM_MPIRUN
            self.assertEqual(ours, [f"hyperslice: interrupted by {by}: checkpoint '{ck}' holds 8 of 64 slices; "
                                    "rerun with --resume to finish"], err)
            resumed = mpirun(4, *args, *hier, "--json", "--checkpoint", ck, "--resume")
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual((r["resumed_slices"], r["groups"]), (8, 2))
            self.assertEqual(r["pi_hex"], json.loads(mpirun(1, *args, "--json").stdout)["pi_hex"])

    def test_silent_member_of_a_group_is_named_by_rank_0(self):
        # hang@3:0: rank 3 hangs before its first request, so its leader (rank 2) always has a member to
        # wait for; with hang@3 (after its first slice) ranks 0-2 could finish all 128 slices before an
        # oversubscribed rank 3 got one -- MPICH's CI run did, and the job ended well.
        self.fault("hang@3:0", "rank 3 on {host} has been silent for", code=3, np=4,
                   extra=["--schedule", "hierarchical", "--group-size", "2", "--threads", "1"])

    def fault(self, spec, needle, code=None, np=2, extra=()):
        p = mpirun(np, "run", "--terms", terms(2e8), "--quiet", "--fail-timeout", "3", *extra,
                   env=dict(ENV, HYPERSLICE_FAULT=spec), timeout=60)
        self.assertNotEqual(p.returncode, 0)
        if code is not None:
            self.assertEqual(p.returncode, code)
        ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: error: ")]
        self.assertEqual(len(ours), 1, p.stderr)
        self.assertIn(needle.format(host=os.uname().nodename), ours[0])

    def test_rank_that_throws(self):
        self.fault("throw@1", "rank 1 on {host}: injected fault", code=3)

    def test_rank_that_crashes(self):
        self.fault("segv@1", "rank 1 on {host} crashed on signal 11")

    def test_rank_that_hangs(self):
        self.fault("hang@1", "rank 1 on {host} has been silent for", code=3)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
