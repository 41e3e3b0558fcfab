#!/usr/bin/python3
"""cli.ProgressLine: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_progress_line.py <path to hyperslice> <repo root>"""
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, launch, mpirun, open_mpi_only  # noqa: E402
from harness import HOLD, child_pids, done_count, wait_for  # noqa: E402


class ProgressLine(unittest.TestCase):
    """Progress under mpirun, decided by where mpirun's stderr goes (a rank's own stdout is a pty and its
    stderr a pipe whatever mpirun's are, in Open MPI 4.1): the live line on a terminal, nothing in a log,
    plain newline-terminated lines on a dumb terminal or when forced into a log -- and never a control
    code there. Each job is held (HYPERSLICE_FAULT pause) so it lasts as long as the test needs."""
    LINE = re.compile(r"hyperslice: (progress: )?\d+/64 slices, [0-9.e+-]+ terms/s, \d+ s elapsed, ETA (\d+ s|\?)")

    def held(self, d, *flags, terminal=True, stderr_file=None, term="xterm"):
        ck = os.path.join(d, "run.ckpt")
        log = os.path.join(d, "out.log")
        cmd = launch(2) + [BIN, "run", "--terms", "64e6", "--slices", "64",
               "--checkpoint", ck, "--checkpoint-every", "0.05", *flags]
        env = dict(ENV, HYPERSLICE_FAULT=HOLD, TERM=term)
        with open(log, "w") as out:
            if terminal:  # util-linux script: the command on a pty, everything it prints into the log.
                # `exec`: script runs the command with $SHELL -c, and dash (/bin/sh, or SHELL unset) stays
                # as mpirun's parent, so stop() would signal the shell and orphan the job.
                line = "exec " + shlex.join(cmd) + (" 2>" + shlex.quote(stderr_file) if stderr_file else "")
                p = subprocess.Popen(["script", "-qfec", line, log], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            else:
                p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        started = time.time()
        wait_for(lambda: done_count(ck) == 4 or p.poll() is not None, "the held job's first 4 slices")
        return p, log, started

    def stop(self, p):
        mpirun_pid = child_pids(p.pid)[0] if p.args[0] == "script" else p.pid
        with open(f"/proc/{mpirun_pid}/comm") as f:
            self.assertRegex(f.read().strip(), r"^(mpirun|mpiexec|orterun)")  # not a shell in between
        os.kill(mpirun_pid, signal.SIGTERM)  # mpirun forwards it; the ranks flush and exit
        p.wait(timeout=60)

    def text(self, path):
        with open(path, errors="replace", newline="") as f:  # keep every \r as written
            return f.read()

    def assert_no_control_codes(self, text, what):
        self.assertNotIn("\x1b", text, what)
        self.assertIsNone(re.search(r"\r(?!\n)", text), what)  # a pty turns \n into \r\n: only that \r

    def held_beside_a_watched_control(self, jobs):
        """The jobs under test ({folder: held() arguments}) and a control job on a terminal, all held at the
        same point: once the control shows its line (the 2 s rule has passed for all), every job under
        test has had its chance too. Returns each job's log."""
        started = [(d, self.held(d, *args.pop("flags", ()), **args)) for d, args in jobs.items()]
        with tempfile.TemporaryDirectory() as c:
            control, control_log, _ = self.held(c)
            try:
                wait_for(lambda: self.LINE.search(self.text(control_log)), "the control job's progress line")
            finally:
                self.stop(control)
                for _, (p, _, _) in started:
                    self.stop(p)
        return {d: log for d, (_, log, _) in started}

    @open_mpi_only
    def test_live_line_on_a_terminal_under_mpirun(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d)
            try:
                wait_for(lambda: self.LINE.search(self.text(log)), "the progress line on the terminal")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"\rhyperslice: 4/64 slices.*?\x1b\[K")  # redrawn, erased to the end
            # The line is erased before the interruption's message, which starts a line of its own.
            self.assertRegex(self.text(log), r"\r\x1b\[Khyperslice: interrupted by SIGTERM")

    @open_mpi_only
    def test_nothing_in_a_log_by_default_nor_when_asked(self):
        # A plain log (stdout and stderr into one file); the trap of the old rule -- mpirun's stdout on a
        # terminal, so every rank's stdout is a pty, while its stderr goes to a file; and a terminal with
        # --json, --no-progress or --quiet. Held together beside one control.
        with tempfile.TemporaryDirectory() as root:
            folders = {name: os.path.join(root, name) for name in ["log", "split", "json", "no-progress", "quiet"]}
            for f in folders.values():
                os.makedirs(f)
            err = os.path.join(folders["split"], "err.txt")
            logs = self.held_beside_a_watched_control({
                folders["log"]: dict(terminal=False), folders["split"]: dict(stderr_file=err),
                folders["json"]: dict(flags=["--json"]), folders["no-progress"]: dict(flags=["--no-progress"]),
                folders["quiet"]: dict(flags=["--quiet"])})
            logs[folders["split"]] = err
            for name, folder in folders.items():
                text = self.text(logs[folder])
                self.assertNotRegex(text, self.LINE, name)
                self.assertIn("holds 4 of 64 slices", text, name)  # it did run, and was stopped
            for name in ["log", "split"]:
                self.assert_no_control_codes(self.text(logs[folders[name]]), name)

    @open_mpi_only
    def test_plain_lines_on_a_dumb_terminal(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d, "--progress-every", "0.1", term="dumb")
            try:
                wait_for(lambda: len(self.LINE.findall(self.text(log))) >= 2, "two progress lines")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"hyperslice: progress: 4/64 slices.*\r?\n")
            self.assert_no_control_codes(self.text(log), "TERM=dumb")

    def test_forced_into_a_log_as_plain_lines(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d, "--progress", "--progress-every", "0.1", terminal=False)
            try:
                wait_for(lambda: len(self.LINE.findall(self.text(log))) >= 2, "two forced progress lines")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"(?m)^hyperslice: progress: 4/64 slices, .*$")
            self.assert_no_control_codes(self.text(log), "--progress into a log")

    def test_progress_every_is_checked(self):
        p = mpirun(2, "run", "--terms", "1e6", "--progress-every", "0")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.strip().splitlines(),
                         ["hyperslice: error: --progress-every: expected seconds between 0 and 86400, got '0'"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
