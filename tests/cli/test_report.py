#!/usr/bin/python3
"""cli.Report: the HTML report opened in a real browser (headless Chromium, Debian's). Reports of real
runs here -- `check --html` of 2 ranks, and `hyperslice report` over check, hello, topology and bench
--json and a sweep's results.json -- load with no console message, show every host drawn with its ranks
on their PUs, and a screenshot is taken; a 64-node cluster (synthetic topologies, the real check's JSON
copied to 64 hosts, one failing node, one slow link) stays under 2 MB and shows both marked. Bad input:
one line and exit 2. Run by ctest as: test_report.py <path to hyperslice> <repo root>"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, ROOT, SANITIZED, OneErrorLine, mpirun, validate  # noqa: E402
from harness import open_in_browser  # noqa: E402

SWEEP = os.path.join(ROOT, "bench/results/sweep-local/results.json")  # a recorded sweep (its README says how)
# Where the screenshots are kept when HYPERSLICE_REPORT_SHOTS names a folder (to look at them); else a temp dir.
SHOTS = os.environ.get("HYPERSLICE_REPORT_SHOTS")


def tag_count(dom, pattern):
    return len(re.findall(pattern, dom))


def self_contained(test, html):
    """Nothing the page would fetch: no external script, style, image, font or frame."""
    for needle in ("http://", "https://", "<link", "@import", " src=", "url("):
        test.assertNotIn(needle, html)


class Report(OneErrorLine, unittest.TestCase):
    @classmethod
    def path(cls, name):
        return os.path.join(cls.dir, name)

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="hyperslice-report-")
        cls.shots = SHOTS or cls.dir
        os.makedirs(cls.shots, exist_ok=True)
        path = cls.path
        loose = ["--tolerance", "0.9" if SANITIZED else "0.5"]  # this VM's two vCPUs are not equal peers (cli.Check)
        p = mpirun(2, "check", "--quick", "--json", "--html", path("check.html"), *loose)
        assert p.returncode == 0, p.stderr
        cls.check = validate(json.loads(p.stdout), "check")
        with open(path("check.json"), "w") as f:
            f.write(p.stdout)
        for name, args in (("hello.json", ["hello", "--json"]), ("bench.json", ["bench", "--json", "--kernel", "leibniz-grouped",
                                                                             "--min-time", "0.01", "--repetitions", "1"])):
            p = mpirun(2, *args)
            assert p.returncode == 0, p.stderr
            with open(path(name), "w") as f:
                f.write(p.stdout)
        for name, args in (("topology.json", ["topology", "--json", "--recommend"]),
                           ("synthetic.json", ["topology", "--json", "--synthetic", "pack:2 numa:2 l3:1 core:4 pu:2"])):
            p = subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV, timeout=60)
            assert p.returncode == 0, p.stderr
            with open(path(name), "w") as f:
                f.write(p.stdout)
        shutil.copy(SWEEP, path("results.json"))

    @classmethod
    def tearDownClass(cls):
        if not os.environ.get("HYPERSLICE_REPORT_KEEP"):
            shutil.rmtree(cls.dir, ignore_errors=True)

    def test_check_html_of_a_real_run(self):
        with open(self.path("check.html")) as f:
            html = f.read()
        self_contained(self, html)
        dom, console = open_in_browser(self.path("check.html"), os.path.join(self.shots, "check.png"))
        self.assertEqual(console, [])
        host = self.check["nodes"][0]["host"]
        self.assertIn(f'<title>hyperslice check {self.check["status"]}: 1 node</title>', dom)
        self.assertIn(f'<tr class="node PASS" data-host="{host}"', dom)
        # the host drawn with both ranks, each thread on the PU it ran on (the placement the JSON holds)
        self.assertEqual(tag_count(dom, rf'<figure class="host PASS" id="doc-1-host-{re.escape(host)}"'), 1)
        for r in self.check["placement"]:
            pu = r["bindings"][0]["running_pu"]
            self.assertRegex(dom, rf'class="pu busy" data-pu="{pu}"[^>]*>(<[^>]*>)*P#{pu}</text><text[^>]*>r{r["rank"]}\.0<')
        # the link heatmaps (one host: its cell within the host, not judged), bars and bits
        self.assertEqual(tag_count(dom, r'class="cell within"'), 2)
        self.assertEqual(tag_count(dom, r'class="bar" data-host='), 2)  # compute and memory
        self.assertEqual(tag_count(dom, r'<tr class="same">'), 4)  # four kernels, one value each
        # every figure has its accessible name and text alternative
        svgs = re.findall(r"<svg [^>]*role=\"img\"[^>]*><title>([^<]+)</title><desc>([^<]+)</desc>", dom)
        self.assertEqual(len(svgs), dom.count("<svg "))
        self.assertGreaterEqual(len(svgs), 5)

    def test_report_draws_every_kind_of_output(self):
        names = ["check.json", "hello.json", "topology.json", "synthetic.json", "bench.json", "results.json"]
        out = self.path("all.html")
        p = subprocess.run([BIN, "report", *[self.path(n) for n in names], "--html", out], capture_output=True, text=True,
                           env=ENV, timeout=120)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        with open(out) as f:
            self_contained(self, f.read())
        dom, console = open_in_browser(out, os.path.join(self.shots, "all.png"), height=3000)
        self.assertEqual(console, [])
        kinds = re.findall(r'<section class="doc (\w+)" id="doc-(\d+)">', dom)
        self.assertEqual(kinds, [("check", "1"), ("hello", "2"), ("topology", "3"), ("topology", "4"), ("bench", "5"),
                                 ("sweep", "6")])
        # hello: both ranks' threads placed; the synthetic machine: 2 packages, 4 NUMA nodes, 16 cores of 2 PUs, idle
        section = lambda n: dom.split(f'id="doc-{n}"')[1].split("</section>")[0]
        self.assertEqual(tag_count(section(2), r'class="pu busy"'), 2)
        synthetic = section(4)
        self.assertEqual(tag_count(synthetic, r'class="core idle"'), 16)
        self.assertEqual(tag_count(synthetic, r'class="pu"'), 32)
        self.assertEqual(tag_count(synthetic, r">Package L#\d<"), 2)
        self.assertEqual(tag_count(synthetic, r">NUMA L#\d \(1 GiB\) · L3 16 MiB<"), 4)
        # the sweep's two plots, one series per slices x threads (and the ideal line)
        sweep = section(6)
        self.assertIn("<title>Time to solution</title>", sweep)
        self.assertEqual(tag_count(sweep, r"<tr class=\"\">"), 8)  # 8 points, none failed

    def test_64_nodes_stay_small_and_mark_what_failed(self):
        """64 hosts made from a synthetic topology and the real check's JSON: 16 ranks each, every host pair
        measured, node17 failing its core and node05 -> node40 slow."""
        with open(self.path("check.json")) as f:
            real = json.load(f)
        p = subprocess.run([BIN, "topology", "--json", "--synthetic", "pack:2 numa:2 l3:1 core:4 pu:2"],
                           capture_output=True, text=True, env=ENV, timeout=60)
        machine = json.loads(p.stdout)["hosts"][0]
        names = [f"node{i:02d}" for i in range(1, 65)]
        d = copy.deepcopy(real)
        rank_template, place_template = real["per_rank"][0], real["placement"][0]
        d["nodes"], d["per_rank"], d["placement"], d["hosts"] = [], [], [], []
        for n, name in enumerate(names):
            ranks = list(range(16 * n, 16 * n + 16))
            node = copy.deepcopy(real["nodes"][0])
            node.update(host=name, ranks=ranks, status="PASS", findings=[], slowest_rank=ranks[0])
            if name == "node17":
                node.update(status="FAIL", findings=[{"stage": "compute", "status": "FAIL", "message":
                                                      f"rank {ranks[3]}'s core: 2.1e+09 terms/s (avx512), 30% of the median"}])
            d["nodes"].append(node)
            host = copy.deepcopy(machine)
            host.update(host=name, ranks=[{"rank": r, "pus": str(2 * (r % 16)), "bound": True, "slurm": None} for r in ranks])
            d["hosts"].append(host)
            for r in ranks:
                d["per_rank"].append(dict(copy.deepcopy(rank_template), rank=r, host=name))
                place = copy.deepcopy(place_template)
                place.update(rank=r, host=name, pus=str(2 * (r % 16)))
                place["bindings"] = [dict(place["bindings"][0], pus=str(2 * (r % 16)), running_pu=2 * (r % 16), core=r % 16)]
                d["placement"].append(place)
        d["status"] = "FAIL"
        d["links"]["hosts"] = [{"from": a, "to": b, "pairs": 16, "bandwidth": 1.1e9 if (a, b) != ("node05", "node40") else 2.0e7,
                                "latency": 2e-5, "slow": (a, b) == ("node05", "node40")} for a in names for b in names]
        validate(d, "check")
        source = self.path("cluster64.json")
        with open(source, "w") as f:
            json.dump(d, f)
        out = self.path("cluster64.html")
        p = subprocess.run([BIN, "report", source, "--html", out], capture_output=True, text=True, env=ENV, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        size = os.path.getsize(out)
        self.assertLessEqual(size, 2 << 20, f"{size} bytes")
        dom, console = open_in_browser(out, os.path.join(self.shots, "cluster64.png"), height=2400)
        self.assertEqual(console, [])
        self.assertEqual(tag_count(dom, r'<figure class="host (PASS|FAIL)" id="doc-1-host-node\d\d"'), 64)
        self.assertEqual(re.findall(r'<figure class="host FAIL" id="doc-1-host-(node\d\d)"', dom), ["node17"])
        self.assertEqual(re.findall(r'<tr class="node FAIL" data-host="(node\d\d)"', dom), ["node17"])
        self.assertEqual(re.findall(r'class="cell slow" data-from="(node\d\d)" data-to="(node\d\d)"', dom), [("node05", "node40")])
        banner = dom.split('<div class="verdict-banner FAIL"')[1].split("</div>")[0]
        self.assertIn("node17", banner)
        self.assertIn("30% of the median", banner)
        self.assertEqual(tag_count(dom, r'class="pu busy"'), 64 * 16)  # each rank on its core's first PU

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as d:
            not_json, compare = os.path.join(d, "x.json"), os.path.join(d, "compare.json")
            with open(not_json, "w") as f:
                f.write("{not json")
            with open(compare, "w") as f:
                json.dump({"schema_version": 1, "changes": [], "regressions": 0}, f)
            out = os.path.join(d, "out.html")
            with self.at_once():
                self.expect_error(["report", os.path.join(d, "none.json"), "--html", out], "report: cannot read")
                self.expect_error(["report", not_json, "--html", out], f"report: '{not_json}' is not JSON")
                self.expect_error(["report", compare, "--html", out], "a compare's JSON, which the report does not draw")
                self.expect_error(["report", self.path("check.json"), "--html", d], f"--html: '{d}' is a folder")
                self.expect_error(["report", "--html", out], "files is required")
                self.expect_error(["report", self.path("check.json")], "--html is required")
                self.expect_error(["check", "--html", d], f"--html: '{d}' is a folder")
            self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
