#!/usr/bin/python3
"""cli.RunOutput: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_run_output.py <path to hyperslice> <repo root>"""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import ENV, ROOT, SCALE, SEED_PI_HEX, hexbits, mpirun, terms  # noqa: E402


class RunOutput(unittest.TestCase):
    def test_json_has_the_documented_fields_and_the_seed_value(self):
        p = mpirun(2, "run", "--json", "--threads", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        for key in ["kernel", "terms", "slices", "slice_size", "ranks", "threads", "schedule", "isa", "pi", "pi_hex",
                    "seconds", "terms_per_second", "per_rank", "hosts", "error", "warnings"]:
            self.assertIn(key, d)
        self.assertEqual((d["kernel"], d["terms"], d["slices"], d["ranks"]), ("leibniz-grouped", 128000000, 128, 2))
        self.assertEqual(d["slice_size"], 1000000)
        self.assertEqual(hexbits(d["pi_hex"]), hexbits(SEED_PI_HEX))
        self.assertEqual(d["pi"], 3.1415926457772931)  # a JSON number that reads back to the exact double
        self.assertEqual(float.hex(d["pi"]), SEED_PI_HEX)
        self.assertEqual([r["rank"] for r in d["per_rank"]], [0, 1])
        self.assertEqual(sum(r["slices"] for r in d["per_rank"]), 128)
        for r in d["per_rank"]:
            self.assertEqual(set(r), {"rank", "host", "arch", "threads", "isa", "isa_available", "slices", "blocks", "seconds",
                                      "max_rss_mb", "pus", "bound", "pinned", "pin_note", "omp_num_threads_set",
                                      "threads_given", "bindings", "slurm"})
            # No per-term storage (that would be >= 1 GB here); sanitizer builds add their shadow memory.
            self.assertLess(r["max_rss_mb"], 50 if SCALE == 1 else 200)
        self.assertEqual(p.stderr, "")

    def test_text_report_gives_pi_error_and_time_first(self):
        p = mpirun(1, "run", "--terms", "1e6", "--quiet")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertRegex(lines[0], r"^hyperslice \d+\.\d+\.\d+.*, (Open MPI|MPICH).* \| " + re.escape(os.uname().nodename))
        self.assertTrue(lines[1].startswith("pi        3.14159"), lines[1])
        self.assertTrue(lines[2].startswith("error"), lines[2])
        self.assertTrue(lines[3].startswith("time"), lines[3])
        self.assertIn("1 rank x", p.stdout)

    def test_same_bits_across_ranks_schedules_slices_threads_and_kernels(self):
        for kernel in ["leibniz", "leibniz-paired", "leibniz-grouped", "midpoint"]:
            seen = set()
            for np_, sched, slices, threads in [(1, "static", 1, 1), (2, "dynamic", 7, 1), (3, "static", 50, 1),
                                                (3, "dynamic", 128, 1), (1, "dynamic", 13, 2), (2, "static", 9, 2),
                                                (5, "hierarchical", 97, 1)]:
                groups = ["--group-size", "2"] if sched == "hierarchical" else []  # leaders 2 and 4; 3 is 2's
                p = mpirun(np_, "run", "--json", "--kernel", kernel, "--terms", "3000001", "--slices", str(slices),
                           "--schedule", sched, "--threads", str(threads), *groups)
                self.assertEqual(p.returncode, 0, p.stderr)
                seen.add(json.loads(p.stdout)["pi_hex"])
            self.assertEqual(len(seen), 1, (kernel, seen))

    def test_verify_finds_zero_ulp_near_and_far(self):
        for n in [terms(128000000), terms(1000000007), terms(4e10)]:  # sanitizer presets scale these down
            p = mpirun(2, "run", "--json", "--verify", "--terms", n)
            self.assertEqual(p.returncode, 0, p.stderr)
            d = json.loads(p.stdout)
            self.assertEqual(d["verify"]["ulps"], 0, n)
            self.assertEqual(d["verify"]["exact_hex"], d["pi_hex"])
            self.assertIn("MPFR", d["verify"]["method"])
            self.assertTrue(d["verify"]["ok"])
        text = mpirun(1, "run", "--verify", "--quiet")
        self.assertIn(f"verify    exact 3.1415926457772931  ({SEED_PI_HEX}), 0 ulp from it (ok)", text.stdout)

    def test_every_run_verifies_unless_told_not_to(self):
        # On by default wherever the kernel has a closed form; --no-verify skips it; midpoint has none.
        d = json.loads(mpirun(1, "run", "--json", "--terms", "1e7").stdout)
        self.assertEqual((d["verify"]["ulps"], d["verify"]["ok"], d["verify"]["exact_hex"]), (0, True, d["pi_hex"]))
        p = mpirun(1, "run", "--json", "--terms", "1e7", "--no-verify")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("verify", json.loads(p.stdout))
        self.assertIn("\nverify    skipped (--no-verify)\n", mpirun(1, "run", "--terms", "1e7", "--no-verify").stdout)
        m = mpirun(1, "run", "--kernel", "midpoint", "--terms", "1e7")
        self.assertEqual(m.returncode, 0, m.stderr)
        self.assertIn("\nverify    none (the midpoint rule has no closed form)\n", m.stdout)
        both = mpirun(1, "run", "--verify", "--no-verify")
        self.assertEqual(both.returncode, 2)
        self.assertEqual(len(both.stderr.strip().splitlines()), 1, both.stderr)

    def test_verify_fails_loudly_on_a_wrong_result(self):
        for flags in [["--verify"], []]:  # asked for, or by default
            p = mpirun(2, "run", "--quiet", *flags, env=dict(ENV, HYPERSLICE_FAULT="corrupt@1"))
            self.assertEqual(p.returncode, 4, p.stderr)
            ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: ")]
            self.assertEqual(len(ours), 1, p.stderr)
            self.assertRegex(ours[0], r"^hyperslice: error: verify: pi 0x\S+ is \d+ ulps from the exact partial sum "
                                      + re.escape(SEED_PI_HEX) + r" \(more than 1\)$")
            self.assertIn("FAILED", p.stdout)
        # --no-verify: the wrong answer goes out unchecked, as asked.
        self.assertEqual(mpirun(2, "run", "--quiet", "--no-verify", env=dict(ENV, HYPERSLICE_FAULT="corrupt@1")).returncode, 0)

    def test_config_file_and_override(self):
        p = mpirun(1, "run", "--json", "--config", os.path.join(ROOT, "configs/seed-table2.toml"), "--slice-size", "1000")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual((d["slices"], d["terms"]), (50, 50000))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
