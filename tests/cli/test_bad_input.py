#!/usr/bin/python3
"""cli.BadInput: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_bad_input.py <path to hyperslice> <repo root>"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import OneErrorLine, mpirun  # noqa: E402


class BadInput(OneErrorLine, unittest.TestCase):
    def test_counts(self):
        with self.at_once():
            self.expect_error(["run", "--terms", "-5"], "--terms: expected a positive integer, got '-5'")
            self.expect_error(["run", "--terms", "0"], "--terms: must be positive, got '0'")
            self.expect_error(["run", "--slices", "many"], "--slices: expected a positive integer, got 'many'")
            self.expect_error(["run", "--slice-size", "99999999999999999999999"], "is too large")
            self.expect_error(["run", "--terms", "1e16"], "at most 4503599627370496 (2^52)")
            self.expect_error(["run", "--terms", "10", "--slices", "11"], "slices 11 is more than terms 10")
            self.expect_error(["run", "--terms", "10", "--slices", "2", "--slice-size", "4"], "terms 10 != slices 2 x slice_size 4")
            self.expect_error(["run", "--threads", "0"], "--threads: must be positive")

    def test_missing_values_and_every_count_option(self):
        with self.at_once():
            for opt in ["--terms", "--slices", "--slice-size", "--threads", "--kernel", "--schedule", "--isa", "--config",
                        "--checkpoint", "--checkpoint-every", "--fail-timeout"]:
                self.expect_error(["run", opt], opt)
            for opt in ["--terms", "--slices", "--slice-size", "--threads"]:
                self.expect_error(["run", opt, "-1"], f"{opt}: expected a positive integer, got '-1'")
                self.expect_error(["run", opt, "2.5"], f"{opt}: expected a positive integer, got '2.5'")
                self.expect_error(["run", opt, "0"], f"{opt}: must be positive, got '0'")
                self.expect_error(["run", opt, "1e40"], f"{opt}: '1e40' is too large")
            self.expect_error(["hello", "--synthetic", "x"], "--synthetic")
            self.expect_error(["topology", "--synthetic", "pack:1 core:1 pu:1", "--input", "x.xml"], "excludes")

    def test_names_and_options(self):
        with self.at_once():
            self.expect_error(["run", "--kernel", "wallis"], "unknown kernel 'wallis'")
            self.expect_error(["run", "--kernel", "midpoint", "--verify"], "--verify checks the Leibniz kernels")
            self.expect_error(["run", "--schedule", "guided"], "unknown schedule 'guided'")
            self.expect_error(["run", "--isa", "avx1024"], "unknown ISA 'avx1024'")
            self.expect_error(["run", "--frobnicate"], "--frobnicate")
            self.expect_error(["fly"], "fly")

    def test_mistakes_get_our_words_not_cli11s(self):
        with self.at_once():
            # The typo's nearest option, the subcommand that was left out, a stray value, an empty list item,
            # and each count in its own unit.
            cases = [
                (["run", "--term", "1e8"], "run: unknown option '--term'; did you mean --terms? (hyperslice run --help)"),
                (["hello", "--thread", "2"], "did you mean --threads?"),
                (["run", "--checkpoint-evry", "3"], "did you mean --checkpoint-every?"),
                (["run", "1e8"], "run: unexpected argument '1e8'"),
                (["--terms", "1e8"], "the subcommand comes first: hyperslice SUBCOMMAND [options], SUBCOMMAND one of "
                                     "run, hello, topology, bench, check, compare, report; run takes --terms (hyperslice --help)"),
                ([], "a subcommand is needed: hyperslice SUBCOMMAND [options], SUBCOMMAND one of run, hello, topology, "
                     "bench, check, compare, report (hyperslice --help)"),
                (["rnu"], "unknown subcommand 'rnu' (expected one of: run, hello, topology, bench, check, compare, report; did you mean run?)"),
                (["bench", "--kernel", ","], "--kernel: expected kernel names separated by commas"),
                (["bench", "--kernel", "leibniz,"], "--kernel: expected kernel names separated by commas"),
                (["bench", "--repetitions", "5000"], "--repetitions: 5000 repetitions is more than 1000"),
                (["topology", "--recommend", "--ranks-per-node", "5000"],
                 "--ranks-per-node: 5000 ranks per node is more than 4096"),
                (["run", "--threads", "5000"], "--threads: 5000 threads is more than 4096"),
            ]
            for args, needle in cases:
                with self.subTest(args):
                    self.expect_error(args, needle)
            # Values that look like options are still values: --terms -5 is a bad count, not an unknown option.
            self.expect_error(["run", "--terms", "-5", "--no-verify"], "--terms: expected a positive integer, got '-5'")

    def test_config_files(self):
        with tempfile.TemporaryDirectory() as d, self.at_once():
            def cfg(name, text, mode="w"):
                path = os.path.join(d, name)
                with open(path, mode) as f:
                    f.write(text)
                return path
            self.expect_error(["run", "--config", os.path.join(d, "missing.toml")], "cannot read")
            self.expect_error(["run", "--config", cfg("bad.toml", "terms = = 1\n")], "malformed TOML")
            self.expect_error(["run", "--config", cfg("key.toml", "colour = 1\n")], "unknown key 'colour'")
            self.expect_error(["run", "--config", cfg("type.toml", "slices = \"50\"\n")], "slices: expected a positive integer")
            self.expect_error(["run", "--config", cfg("bin.toml", b"\x00\x01\x02", "wb")], "binary file")
            self.expect_error(["run", "--config", cfg("empty.toml", "")], "sets nothing")
            self.expect_error(["run", "--config", cfg("huge.toml", "# " + "x" * (2 << 20) + "\n")], "over 1 MiB")
            self.expect_error(["run", "--config", cfg("neg.toml", "threads = -1\n")], "threads: must be positive")
            self.expect_error(["run", "--config", cfg("isa.toml", "isa = \"avx9\"\n")], "unknown ISA 'avx9'")
            self.expect_error(["run", "--config", cfg("pin.toml", "pin = \"yes\"\n")], "pin: expected true or false")
            self.expect_error(["run", "--config", d], "is a folder, not a file")

    def test_topology_inputs(self):
        with self.at_once():
            self.expect_error(["topology", "--synthetic", "garbage"], "--synthetic: hwloc cannot use 'garbage'")
            self.expect_error(["topology", "--input", "/nonexistent/topo.xml"], "--input: cannot read '/nonexistent/topo.xml'")
            self.expect_error(["topology", "--synthetic", "pack:1 core:2 pu:1", "--recommend", "--ranks-per-node", "3"],
                              "--ranks-per-node 3: impossible on a host with 2 cores")
            self.expect_error(["topology", "--recommend", "--ranks-per-node", "lots"], "--ranks-per-node: expected a positive integer")
            self.expect_error(["topology", "--hostfile", "x"], "go with --recommend")
            self.expect_error(["topology", "--slurm"], "go with --recommend")
            self.expect_error(["topology", "--recommend", "--time", "10"], "--time goes with --slurm")
            self.expect_error(["topology", "--recommend", "--slurm", "--time", "1;reboot"],
                              "--time: expected a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S), got '1;reboot'")
            self.expect_error(["topology", "--recommend", "--nodes", "0"], "--nodes: must be positive")
            self.expect_error(["topology", "--recommend", "--nodes", "2", "--hostfile", "x"], "excludes")
            self.expect_error(["topology", "--recommend", "--hostfile", "/nonexistent/hosts"], "--hostfile: cannot read")
            self.expect_error(["hello", "--threads", "-2"], "--threads: expected a positive integer")

    def test_files_that_never_end_or_never_open_are_refused_at_once(self):
        # /dev/zero passes a size check (stat says 0 bytes); a FIFO with no writer blocks a plain open.
        with tempfile.TemporaryDirectory() as d, self.at_once():
            fifo = os.path.join(d, "fifo")
            os.mkfifo(fifo)
            for opt, args in [("--config", ["run"]), ("--checkpoint", ["run", "--resume"]), ("--input", ["topology"]),
                              ("--hostfile", ["topology", "--recommend"])]:
                self.expect_error(args + [opt, "/dev/zero"], "'/dev/zero' is a character device")
                self.expect_error(args + [opt, fifo], f"'{fifo}' is a FIFO")

    def test_huge_slice_counts_cost_no_memory(self):
        # 10^9 slices of 10^9 terms: 15,259 blocks, so all but 15,259 slices are empty and nobody is sent one.
        for sched in ["dynamic", "static"]:
            p = mpirun(2, "run", "--json", "--terms", "1e9", "--slices", "1e9", "--schedule", sched, "--threads", "1")
            self.assertEqual(p.returncode, 0, p.stderr)
            d = json.loads(p.stdout)
            self.assertEqual(sum(r["slices"] for r in d["per_rank"]), 15259)
            for r in d["per_rank"]:
                self.assertLess(r["max_rss_mb"], 100)
        small = json.loads(mpirun(2, "run", "--json", "--terms", "1e9", "--slices", "7").stdout)
        self.assertEqual(d["pi_hex"], small["pi_hex"])

    def test_plain_mpirun_still_one_line_from_us_and_no_abort(self):
        # Without -q, Open MPI adds its own notice that a process exited non-zero; ours stays one line.
        self.expect_error(["run", "--terms", "-1"], "--terms", np_=3, quiet=False)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
