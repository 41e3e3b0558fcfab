#!/usr/bin/python3
"""cli.Bench: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_bench.py <path to hyperslice> <repo root>"""
import json
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, HYDRA, SCALE, launch, mpirun  # noqa: E402
from harness import validate  # noqa: E402


class Bench(unittest.TestCase):
    """hyperslice bench under mpirun: tables, JSON (schema-checked by mpirun()), and a rank limited to
    fewer instruction sets named as slower. Short settings keep it quick; the numbers are not judged,
    only what they are measured against and who is compared with whom."""
    FAST = ["--min-time", "0.01", "--repetitions", "3"]

    def test_json_measures_every_kernel_on_every_isa_against_its_ceilings(self):
        p = mpirun(2, "bench", "--json", *self.FAST)
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual([r["rank"] for r in d["per_rank"]], [0, 1])
        host = os.uname().nodename
        isas = [i for i in ["scalar", "sse2", "avx2", "avx512"] if i in {x["isa"] for x in d["per_rank"][0]["probes"]}]
        self.assertIn("scalar", isas)
        self.assertIn("sse2", isas)  # every x86-64 has it
        for r in d["per_rank"]:
            self.assertEqual(r["host"], host)
            pairs = {(x["kernel"], x["isa"]) for x in r["results"]}
            self.assertEqual(pairs, {(k, i) for k in ["leibniz", "leibniz-paired", "leibniz-grouped", "midpoint"]
                                     for i in isas})
            for x in r["results"]:
                self.assertGreater(x["terms_per_second"], 0)
                self.assertAlmostEqual(x["fraction"], x["terms_per_second"] / x["ceiling"], places=9)
                probe = next(q for q in r["probes"] if q["isa"] == x["isa"])
                self.assertEqual(x["divider_probe"], probe["divider_probe"]["median"])
                per_division = {"leibniz": 1, "leibniz-paired": 2, "leibniz-grouped": 8, "midpoint": 1}[x["kernel"]]
                self.assertLessEqual(x["ceiling"], x["divider_probe"] * per_division * (1 + 1e-9))
        self.assertEqual(d["hosts"][0]["ranks"], [0, 1])
        self.assertEqual([l["peer"] for l in d["links"]], [1])
        sizes = [pt["bytes"] for pt in d["links"][0]["points"]]
        self.assertEqual(sizes, [8, 1024, 65536, 1048576, 4194304])
        times = [pt["one_way_seconds"] for pt in d["links"][0]["points"]]
        self.assertLess(times[0], times[-1])  # 4 MiB takes longer than 8 B
        self.assertTrue(d["links"][0]["same_host"])

    @unittest.skipIf(SCALE < 1, "sanitizer builds: instrumented loops do not keep the ISAs' speed ratios")
    def test_a_rank_limited_to_scalar_code_is_named_slower(self):
        bench = [BIN, "bench", "--json", "--no-links", *self.FAST]
        limited = ["-env", "HYPERSLICE_DISABLE_ISA", "avx512,avx2,sse2"] if HYDRA else \
            ["-x", "HYPERSLICE_DISABLE_ISA=avx512,avx2,sse2"]
        cmd = launch(1) + bench + [":", "-n" if HYDRA else "-np", "1", *limited] + bench  # MPMD: one rank limited
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ENV)
        self.assertEqual(p.returncode, 0, p.stderr)
        d = validate(json.loads(p.stdout), "bench")
        self.assertEqual({x["isa"] for x in d["per_rank"][1]["results"]}, {"scalar"})
        slow = [w for w in d["warnings"] if w["kind"] == "slow_rank"]
        self.assertEqual(len(slow), 1, d["warnings"])
        self.assertTrue(slow[0]["message"].startswith(f"rank 1 on {os.uname().nodename}: best "), slow[0]["message"])
        self.assertIn("uneven_host", [w["kind"] for w in d["warnings"]])
        self.assertEqual(d["hosts"][0]["slowest_rank"], 1)
        self.assertIn("hyperslice: warning: " + slow[0]["message"], p.stderr.splitlines())

    def test_text_with_default_settings(self):
        p = mpirun(2, "bench", timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertRegex(lines[1], r"^bench: every rank measures one core, all ranks at once .* 5 repetitions of at "
                                   r"least 0.05 s")
        host = os.uname().nodename
        self.assertIn(f"host {host}", p.stdout)
        self.assertRegex(p.stdout, r"(?m)^  leibniz-grouped  scalar +2 +[0-9.e+]+ ")
        self.assertRegex(p.stdout, r"(?m)^summary: host +ranks +best kernel, isa")
        self.assertRegex(p.stdout, rf"(?m)^{re.escape(host)} +2  leibniz")
        self.assertRegex(p.stdout, r"(?m)^ +1  \S+ +[0-9.]+ us +[0-9.]+ us +[0-9]+ MB/s")

    def test_bad_input_one_line(self):
        for args, needle in [(["--kernel", "wallis"], "--kernel: unknown kernel 'wallis'"),
                             (["--min-time", "0"], "--min-time"), (["--repetitions", "-2"], "--repetitions")]:
            p = mpirun(2, "bench", *args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertIn(needle, p.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
