#!/usr/bin/python3
"""cli.Provenance: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_provenance.py <path to hyperslice> <repo root>"""
import json
import os
import shlex
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, HYDRA, MPIEXEC, mpirun  # noqa: E402
from harness import validate  # noqa: E402


class Provenance(unittest.TestCase):
    """--version, the context block of every JSON output, and advice that runs as printed."""

    def test_version_on_the_program_and_every_subcommand_once_per_job(self):
        for args in [["--version"], ["run", "--version"], ["hello", "--version"], ["topology", "--version"]]:
            p = mpirun(2, *args)
            self.assertEqual(p.returncode, 0, p.stderr)
            lines = p.stdout.splitlines()
            self.assertRegex(lines[0], r"^hyperslice \d+\.\d+\.\d+( \(\S+\))?$", args)
            self.assertEqual(sum(l.startswith("hyperslice ") for l in lines), 1, p.stdout)  # rank 0 only
            self.assertRegex(p.stdout, r"\nMPI: (Open MPI v\d|MPICH)")
            self.assertRegex(p.stdout, r"\nhwloc: \d+\.\d+")
            self.assertEqual(p.stderr, "")

    def test_every_json_output_carries_its_context(self):
        version = mpirun(1, "--version").stdout.splitlines()[0].removeprefix("hyperslice ")
        before = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
        for args in [["run", "--json", "--terms", "1e6"], ["hello", "--json"], ["topology", "--json"],
                     ["topology", "--json", "--synthetic", "pack:2 core:4 pu:1"]]:
            p = mpirun(2, *args)
            self.assertEqual(p.returncode, 0, p.stderr)
            d = json.loads(p.stdout)
            self.assertEqual(d["schema_version"], 1)
            c = d["context"]
            self.assertEqual(c["version"], version)
            self.assertEqual(c["hostname"], os.uname().nodename)
            self.assertEqual(shlex.split(c["command_line"]), [BIN, *args])
            after = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))
            self.assertTrue(before <= c["date"] <= after, (before, c["date"], after))
            self.assertIn(c["build_type"], ["Release", "Debug", "RelWithDebInfo", "MinSizeRel"])
        hwloc = subprocess.run(["hwloc-info", "--version"], capture_output=True, text=True)
        if hwloc.returncode == 0:  # the same hwloc the binary was built against (one Debian package)
            self.assertIn(c["hwloc_version"], hwloc.stdout)

    def test_recommended_command_runs_as_printed(self):
        p = mpirun(1, "topology", "--recommend", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        rec = json.loads(p.stdout)["recommendation"]
        self.assertEqual(shlex.split(rec["command"]), rec["argv"])
        # Not installed on PATH here: the absolute path of the running binary.
        self.assertEqual(rec["argv"][-2:], [os.path.realpath(BIN), "run"])
        # Under MPICH the line names `mpiexec`; on a machine with both MPIs that name may be Open MPI's.
        argv = [MPIEXEC] + rec["argv"][1:] if HYDRA else rec["argv"]
        run = subprocess.run(argv + ["--terms", "1e6", "--json"], capture_output=True, text=True,
                             timeout=120, env=ENV)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(validate(json.loads(run.stdout), "run")["terms"], 1000000)
        # On PATH, the plain name.
        path_env = dict(ENV, PATH=os.path.dirname(os.path.realpath(BIN)) + os.pathsep + ENV["PATH"])
        named = mpirun(1, "topology", "--recommend", "--json", env=path_env)
        self.assertEqual(json.loads(named.stdout)["recommendation"]["argv"][-2:], ["hyperslice", "run"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
