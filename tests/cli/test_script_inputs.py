#!/usr/bin/python3
"""The Python front ends (scripts/sweep, scripts/simulate) under bad input: every case is one line
'<prog>: error: ...' on stderr and exit 2, never a traceback. A battery of the inputs users get wrong
(arguments, output folders, hostfiles, saved results given back, a missing binary), then seeded fuzzing of
the argument parser in-process. Hostfiles are read by the program's own reader (the sweep asks
`hyperslice topology --recommend --hostfile F --json`; fuzzed in tests/launch/test_hostfile.cpp): those
cases run the real binary as one rank; nothing else here starts MPI.

Run by ctest: test_script_inputs.py <repo root> <hyperslice>"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
BIN = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build/release/cli/hyperslice")
SWEEP = os.path.join(ROOT, "scripts/sweep")
SIMULATE = os.path.join(ROOT, "scripts/simulate")


sys.path.insert(0, os.path.join(ROOT, "python"))
from hyperslice_tools import errors, sweep  # noqa: E402


def run(script, *args, env=None):
    return subprocess.run(["/usr/bin/python3", script, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})), stdin=subprocess.DEVNULL)


class Battery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="script-inputs-")
        t = cls.tmp

        def write(name, text, mode="w"):
            path = os.path.join(t, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, mode) as f:
                f.write(text)
            return path

        cls.exe = write("fake-hyperslice", "#!/bin/sh\nexit 1\n")
        os.chmod(cls.exe, 0o755)
        cls.file = write("a-file", "x")
        cls.hostfiles = {name: write(f"hosts/{name}", text) for name, text in {
            "bad-slots": "node1 slots=abc\n", "zero-slots": "node1 slots=0\n", "unknown-key": "node1 cpus=4\n",
            "hydra-zero": "node1:0 slots=x\n", "only-comments": "# nothing\n\n   # here\n",
            "binary": "\x00\xff\xfe garbage\n"}.items()}
        saved = {"not-json": "{", "a-list": "[1, 2]", "no-keys": "{}", "wrong-types":
                 json.dumps({"argv": 5, "runs": {}, "context": None, "nodes": []}),
                 "bad-argv": json.dumps({"argv": ["--ranks", "x"], "runs": [], "context": {}, "nodes": {"h": 2}}),
                 "bad-runs": json.dumps({"argv": ["--ranks", "1"], "runs": [{"result": 5}], "context": {},
                                         "nodes": {"h": 2}})}
        cls.saved = {}
        for name, text in saved.items():
            cls.saved[name] = os.path.dirname(write(f"saved/{name}/results.json", text))
        cls.saved["binary"] = os.path.dirname(write("saved/binary/results.json", b"\xff\xfe\x00", "wb"))
        os.makedirs(os.path.join(t, "saved/is-a-folder/results.json"))
        cls.saved["is-a-folder"] = os.path.join(t, "saved/is-a-folder")
        cls.saved["empty"] = os.path.join(t, "saved/empty")
        os.makedirs(cls.saved["empty"])
        cls.platform_bad = write("platform-bad.xml", "<platform")
        cls.platform_empty = write("platform-empty.xml", "<?xml version='1.0'?><platform version='4.1'></platform>")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def one_line(self, p, prog, what):
        self.assertEqual(p.returncode, 2, f"{what}: {p.stdout}{p.stderr}")
        self.assertNotIn("Traceback", p.stderr, what)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"{what}: {p.stderr}")
        self.assertTrue(lines[0].startswith(f"{prog}: error: "), f"{what}: {lines[0]}")
        return lines[0]

    def test_sweep_arguments_files_and_saved_results(self):
        b = ["--binary", self.exe]
        cases = {
            "bad list": (["--ranks", "x", *b], "--ranks"),
            "zero": (["--ranks", "0", *b], "--ranks"),
            "unknown option": (["--rank", "2", *b], "--rank"),
            "missing value": (["--kernel"], "--kernel"),
            "bad schedule": (["--schedule", "fast", *b], "--schedule"),
            "no binary": (["--binary", os.path.join(self.tmp, "nope")], "--binary"),
            "out under a file": (["--out", os.path.join(self.file, "sub"), *b], "--out"),
            "out in /proc": (["--out", "/proc/hyperslice-no/x", *b], "--out"),
            "hostfile missing": (["--hostfile", os.path.join(self.tmp, "nope"), *b], "--hostfile"),
            "hostfile a folder": (["--hostfile", self.tmp, *b], "--hostfile"),
            "replot nothing": (["--replot"], "--replot"),
            "replot two": (["--replot", "a", "b"], "--replot"),
        }
        for name, path in self.hostfiles.items():  # the program's reader and its messages
            cases[f"hostfile {name}"] = (["--hostfile", path, "--binary", BIN], path)
        for name, folder in self.saved.items():
            cases[f"replot {name}"] = (["--replot", folder], "" if name == "bad-runs" else "results.json"
                                       if name not in ("bad-argv",) else "--ranks")
        for what, (args, expected) in cases.items():
            with self.subTest(what):
                line = self.one_line(run(SWEEP, *args), "sweep", what)
                self.assertIn(expected, line, what)

    def test_simulate_arguments_files_and_a_missing_binary(self):
        need = ["--ranks", "2", "--slices", "8", "--terms", "1e6", "--out", os.path.join(self.tmp, "sim")]
        cases = {
            "no platform": ([*need, "--platform", os.path.join(self.tmp, "nope.xml")], "--platform"),
            "platform not xml": ([*need, "--platform", self.platform_bad, "--binary", self.exe], "--platform"),
            "platform no host": ([*need, "--platform", self.platform_empty, "--binary", self.exe], "--platform"),
            "both sizes": ([*need, "--slice-size", "10", "--platform", self.platform_bad], "--slice-size"),
            "replot empty": (["--replot", self.saved["empty"]], "results.json"),
            "replot not json": (["--replot", self.saved["not-json"]], "not JSON"),
        }
        for what, (args, expected) in cases.items():
            with self.subTest(what):
                self.assertIn(expected, self.one_line(run(SIMULATE, *args), "simulate", what), what)
        # docs/simulation.md's command on a clone with only the smpi build: no build/release and no
        # hyperslice on PATH to measure the rate with. A copy of the scripts in a tree without builds.
        tree = os.path.join(self.tmp, "tree")
        os.makedirs(os.path.join(tree, "scripts"), exist_ok=True)
        for s in (SWEEP, SIMULATE):
            shutil.copy(s, os.path.join(tree, "scripts"))
        shutil.copytree(os.path.join(ROOT, "python"), os.path.join(tree, "python"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        platform = os.path.join(ROOT, "configs/platforms/seed-cluster.xml")
        p = run(os.path.join(tree, "scripts/simulate"), *need, "--platform", platform, "--binary", self.exe,
                env={"PATH": "/usr/bin:/bin"})
        line = self.one_line(p, "simulate", "no binary to measure the rate")
        self.assertIn("--rate", line)


class Fuzz(unittest.TestCase):
    """Random argument lists, in-process: the parser either accepts or raises its UsageError -- never
    another exception."""
    WORDS = ["--ranks", "--threads", "--slices", "--slice-size", "--terms", "--kernel", "--schedule", "--repeat",
             "--timeout", "--min-seconds", "--tune", "--force", "--out", "--hostfile", "--mpirun-args", "--binary",
             "1", "0", "-1", "2,4", "1,,2", "1e9", "1e", "9" * 40, "nan", "inf", "", ",", "x", "dynamic", "static",
             "--", "-", "--=", "--ranks=3", "\x00", "é", "/", "/proc/1/mem", "leibniz", "0.5", "1e400"]

    def test_sweep_parser(self):
        rng = random.Random(20261202)
        with tempfile.TemporaryDirectory() as d:
            for _ in range(600):
                argv = [rng.choice(self.WORDS) for _ in range(rng.randint(0, 8))]
                argv = [w if w != "/" else d for w in argv]
                try:
                    sweep.parse_args(argv, check_binary=False)
                except errors.UsageError as e:
                    self.assertTrue(str(e).strip(), argv)
                    self.assertNotIn("\n", str(e).strip(), argv)



if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]], verbosity=2)
