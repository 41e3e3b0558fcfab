#!/usr/bin/python3
"""scripts/sweep: a tiny real grid produces well-formed JSON, CSV, Markdown and PNG; speedup and efficiency
from known inputs; bad arguments give one error line and exit 2.  Run by ctest: test_sweep.py <hyperslice> <root>"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import binary_and_root, validate  # noqa: E402

BIN, ROOT = binary_and_root("build/release/cli/hyperslice")
SWEEP = os.path.join(ROOT, "scripts/sweep")
sys.path.insert(0, os.path.join(ROOT, "python"))
from hyperslice_tools import results, sweep as sweep_module  # noqa: E402


def sweep(*args):
    return subprocess.run(["/usr/bin/python3", SWEEP, "--binary", BIN, *args], capture_output=True, text=True, timeout=300)


class TinyGrid(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="sweep-test-")
        cls.p = sweep("--ranks", "1,2", "--threads", "1", "--slices", "4,8", "--slice-size", "100000", "--repeat", "1",
                      "--out", cls.out)

    def test_exit_and_summary(self):
        self.assertEqual(self.p.returncode, 0, self.p.stderr)
        self.assertIn("4 points, 0 failed", self.p.stdout)

    def test_results_json(self):
        d = validate(json.load(open(os.path.join(self.out, "results.json"))), "sweep")
        self.assertEqual(d["context"]["hostname"], os.uname().nodename)
        self.assertIn("--out", d["context"]["command_line"])
        self.assertEqual(len(d["runs"]), 4)
        self.assertEqual({(r["ranks"], r["slices"]) for r in d["runs"]}, {(1, 4), (2, 4), (1, 8), (2, 8)})
        for r in d["runs"]:
            self.assertEqual(r["result"]["ranks"], r["ranks"])
            self.assertEqual(r["result"]["slices"], r["slices"])
        # Same slice size, so per slice count one pi; the bits never depend on the rank count.
        for slices in (4, 8):
            self.assertEqual(len({r["result"]["pi_hex"] for r in d["runs"] if r["slices"] == slices}), 1)

    def test_csv_and_markdown(self):
        rows = list(csv.DictReader(open(os.path.join(self.out, "scaling.csv"))))
        self.assertEqual(len(rows), 4)
        for r in rows:
            self.assertGreater(float(r["median"]), 0)
            self.assertGreater(float(r["terms_per_second"]), 0)
        base = [r for r in rows if r["ranks"] == "1"]
        self.assertTrue(all(float(r["speedup"]) == 1.0 for r in base))
        md = open(os.path.join(self.out, "scaling.md")).read()
        self.assertIn("## 4 slices", md)
        self.assertIn("## 8 slices", md)
        table = [l for l in md.splitlines() if l.startswith("|")]
        self.assertEqual(len({l.count("|") for l in table}), 1, "every table row has the same columns")

    def test_png_and_svg(self):
        png = open(os.path.join(self.out, "scaling.png"), "rb").read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.image
        img = matplotlib.image.imread(os.path.join(self.out, "scaling.png"))
        self.assertGreater(img.shape[0], 100)
        self.assertIn("<svg", open(os.path.join(self.out, "scaling.svg")).read(2000))


    def test_short_points_are_flagged(self):
        d = json.load(open(os.path.join(self.out, "results.json")))
        md = open(os.path.join(self.out, "scaling.md")).read()
        short = [p for p in d["points"] if p["short"]]
        self.assertEqual([p["median"] < 0.1 for p in d["points"]], [p["short"] for p in d["points"]])
        for p in d["points"]:
            row = next(l for l in md.splitlines() if l.startswith(f"| {p['processes']} ({p['ranks']} x 1)") and
                       f"{p['median']:.3f}" in l)
            self.assertEqual(" !" in row.split("|")[1], p["short"], row)
        self.assertEqual("points ran under 0.1 s" in self.p.stderr, bool(short), self.p.stderr)


class Options(unittest.TestCase):
    def test_min_seconds_scales_the_work_up(self):
        with tempfile.TemporaryDirectory() as out:
            p = sweep("--ranks", "1", "--slices", "4", "--slice-size", "1000", "--repeat", "1", "--min-seconds", "0.02",
                      "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("sweep: --min-seconds 0.02: the fastest layout (1 x 1, 4 slices) takes", p.stderr)
            d = json.load(open(os.path.join(out, "results.json")))
            self.assertGreater(d["points"][0]["terms"], 4000)  # 4,000 terms never take 0.02 s

    def test_existing_results_need_force(self):
        with tempfile.TemporaryDirectory() as out:
            args = ["--ranks", "1", "--slices", "2", "--slice-size", "1000", "--repeat", "1", "--out", out]
            self.assertEqual(sweep(*args).returncode, 0)
            again = sweep(*args)
            self.assertEqual(again.returncode, 2)
            self.assertEqual(again.stderr.strip().splitlines(),
                             [f"sweep: error: --out: '{out}' holds results already (results.json); pass --force to "
                              "overwrite them"])
            self.assertEqual(sweep(*args, "--force").returncode, 0)

    def test_tune_writes_bars_and_the_best_command(self):
        with tempfile.TemporaryDirectory() as out:
            p = sweep("--tune", "--terms", "1e6", "--slices", "4", "--repeat", "1", "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            d = validate(json.load(open(os.path.join(out, "results.json"))), "sweep")
            cores = os.cpu_count()
            self.assertEqual(sorted((r["ranks"], r["threads"]) for r in d["points"]),
                             sorted((r, cores // r) for r in range(1, cores + 1) if cores % r == 0))
            self.assertRegex(p.stdout, r"(?m)^best layout: \d+ ranks x \d+ threads")
            self.assertIn(os.path.realpath(BIN), p.stdout)  # the best command names the binary that ran
            # Tuned for the kernel run uses by default: the runs report it, and the line names no other.
            default_kernel = json.loads(subprocess.run([BIN, "run", "--json", "--terms", "1e6"], capture_output=True,
                                                       text=True, timeout=60).stdout)["kernel"]
            self.assertEqual({r["result"]["kernel"] for r in d["runs"]}, {default_kernel})
            best = next(l for l in p.stdout.splitlines() if l.startswith("  mpirun "))
            self.assertNotIn("--kernel", best)
            self.assertIn(f"Layout tuning: {default_kernel}, ", open(os.path.join(out, "scaling.md")).read())
            self.assertEqual(open(os.path.join(out, "scaling.png"), "rb").read(8), b"\x89PNG\r\n\x1a\n")


    def test_replot_rewrites_tables_and_plots_from_results(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(sweep("--ranks", "1", "--slices", "2", "--slice-size", "1000", "--repeat", "1", "--out",
                                   out).returncode, 0)
            for name in ["scaling.md", "scaling.csv", "scaling.png"]:
                os.remove(os.path.join(out, name))
            p = subprocess.run(["/usr/bin/python3", SWEEP, "--replot", out], capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("## 2 slices", open(os.path.join(out, "scaling.md")).read())
            self.assertTrue(os.path.exists(os.path.join(out, "scaling.png")))
            nowhere = os.path.join(out, "nowhere")
            bad = subprocess.run(["/usr/bin/python3", SWEEP, "--replot", nowhere], capture_output=True, text=True,
                                 timeout=60)
            self.assertEqual((bad.returncode, bad.stderr.strip()),
                             (2, f"sweep: error: --replot DIR: '{nowhere}' holds no results.json (give a folder a "
                                 "sweep wrote)"))


class Recorded(unittest.TestCase):
    def test_recorded_results_meet_their_schemas(self):
        """bench/results/: every sweep folder and every bench recording reads as its schema says."""
        results = os.path.join(ROOT, "bench", "results")
        folders = [d for d in sorted(os.listdir(results)) if os.path.isfile(os.path.join(results, d, "results.json"))]
        self.assertIn("sweep-seed", folders)
        for d in folders:
            with open(os.path.join(results, d, "results.json")) as f:
                validate(json.load(f), "sweep")
        benches = [f for f in os.listdir(results) if f.endswith("bench.json")]
        self.assertTrue(benches)
        for name in benches:
            with open(os.path.join(results, name)) as f:
                validate(json.load(f), "bench")


class Arithmetic(unittest.TestCase):
    def test_speedup_and_efficiency_from_known_times(self):
        rows = [{"slices": 50, "ranks": 1, "threads": 1, "processes": 1, "median": 8.0},
                {"slices": 50, "ranks": 2, "threads": 1, "processes": 2, "median": 4.0},
                {"slices": 50, "ranks": 2, "threads": 2, "processes": 4, "median": 2.5},
                {"slices": 128, "ranks": 4, "threads": 1, "processes": 4, "median": 6.0},
                {"slices": 128, "ranks": 8, "threads": 1, "processes": 8, "median": 4.0}]
        results.add_speedup(rows)
        self.assertEqual([r["speedup"] for r in rows], [1.0, 2.0, 3.2, 1.0, 1.5])
        self.assertEqual([r["efficiency"] for r in rows], [1.0, 1.0, 0.8, 1.0, 0.75])

    def test_factorisations(self):
        self.assertEqual(sweep_module.factorisations(12), [(1, 12), (2, 6), (3, 4), (4, 3), (6, 2), (12, 1)])


class BadArguments(unittest.TestCase):
    def one_error(self, p, needle):
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("sweep: error: "), lines[0])
        self.assertIn(needle, lines[0])

    def test_unknown_flag(self):
        self.one_error(sweep("--out", "/tmp/x", "--frobnicate"), "--frobnicate")

    def test_empty_grid(self):
        self.one_error(sweep("--out", "/tmp/x", "--ranks", ""), "grid is empty")

    def test_bad_list(self):
        self.one_error(sweep("--out", "/tmp/x", "--ranks", "1,two"), "--ranks")

    def test_every_point_failing_is_reported(self):
        with tempfile.TemporaryDirectory() as out:
            p = sweep("--ranks", "1", "--slices", "4", "--slice-size", "1000", "--repeat", "1", "--kernel", "wallis",
                      "--out", out)
            self.assertEqual(p.returncode, 1)
            self.assertIn("failed: hyperslice: error: --kernel: unknown kernel 'wallis'", p.stderr)
            self.assertIn("(failed)", open(os.path.join(out, "scaling.md")).read())
            self.assertIsNone(validate(json.load(open(os.path.join(out, "results.json"))), "sweep")["context"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
