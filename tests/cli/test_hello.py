#!/usr/bin/python3
"""cli.Hello: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_hello.py <path to hyperslice> <repo root>"""
import json
import os
import re
import shlex
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, MPIEXEC, launch, mpirun, open_mpi_only, warnings_in  # noqa: E402


class Hello(unittest.TestCase):
    def test_seed_line_for_every_rank_in_rank_order(self):
        p = mpirun(3, "hello", "--threads", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        host = os.uname().nodename
        self.assertEqual(p.stdout.splitlines()[1:4], [f"Hello, World! I am process {r} of 3 on {host}." for r in range(3)])

    @open_mpi_only
    def test_every_fix_runs_as_printed_and_clears_its_warning(self):
        # The layouts people get wrong, each warning's "Fix: mpirun ..." taken from the warning itself and run
        # with the same ranks: mpirun accepts it, and the warning is gone.
        fix = re.compile(r"Fix: (mpirun .*?)(?=: | \(|$)")
        for threads, np_, mpi_args in [("2", 1, []), ("3", 1, ["--bind-to", "none"]), ("2", 2, [])]:
            env = dict(ENV, OMP_NUM_THREADS=threads)
            p = subprocess.run(launch(np_, mpi_args) + [BIN, "hello"], capture_output=True, text=True, env=env,
                               timeout=120)
            fixes = {m.group(1) for w in warnings_in(p.stderr) for m in [fix.search(w)] if m}
            self.assertTrue(fixes, (threads, np_, p.stderr))
            for line in fixes:
                words = shlex.split(line)
                self.assertEqual(words[0], "mpirun")
                q = subprocess.run([MPIEXEC, "-q", "-np", str(np_), *words[1:], BIN, "hello", "--json"],
                                   capture_output=True, text=True, env=env, timeout=120)
                self.assertEqual(q.returncode, 0, f"{line}: {q.stderr}")
                kinds = {w["kind"] for w in json.loads(q.stdout)["warnings"]}
                self.assertFalse(kinds & {"threads_share_cores", "host_oversubscribed"}, f"{line}: {q.stderr}")

    def test_shared_core_warning_appears_exactly_when_threads_share_a_core(self):
        env = dict(ENV, OMP_NUM_THREADS="2")
        # Open MPI binds a lone rank to one core: both threads share it.
        bound = mpirun(1, "hello", env=env)
        self.assertEqual(bound.returncode, 0, bound.stderr)
        w = warnings_in(bound.stderr)
        self.assertEqual(len(w), 1, bound.stderr)
        self.assertIn("rank 0 on", w[0])
        self.assertIn("runs 2 threads on 1 core", w[0])
        self.assertIn("-bind-to none", w[0])  # Open MPI: --bind-to none, Hydra: -bind-to none
        # --bind-to none: sound, silent.
        free = mpirun(1, "hello", env=env, mpi_args=["--bind-to", "none"])
        self.assertEqual(free.returncode, 0, free.stderr)
        self.assertEqual(warnings_in(free.stderr), [])
        self.assertEqual(free.stderr, "")

    def test_json_bindings_and_pinning(self):
        p = mpirun(1, "hello", "--json", "--threads", "2", mpi_args=["--bind-to", "none"])
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual(d["ranks"], 1)
        self.assertEqual(d["warnings"], [])
        # The architecture the binary runs as: this machine's, as uname names it (docs/arm.md).
        self.assertEqual(d["per_rank"][0]["arch"], os.uname().machine)
        threads = d["per_rank"][0]["bindings"]
        self.assertEqual([t["thread"] for t in threads], [0, 1])
        if os.cpu_count() >= 2:  # pinned one per core
            self.assertEqual(sorted(t["core"] for t in threads), [0, 1])
            self.assertEqual([t["pus"] for t in threads], ["0", "1"])

    def test_unbound_ranks_sharing_a_node_pin_to_different_cores(self):
        p = mpirun(2, "hello", "--json", "--threads", "1", mpi_args=["--bind-to", "none"])
        self.assertEqual(p.returncode, 0, p.stderr)
        cores = [pl["bindings"][0]["core"] for pl in json.loads(p.stdout)["per_rank"]]
        if os.cpu_count() >= 2:
            self.assertEqual(sorted(cores), [0, 1])

    def test_oversubscription_warning_in_json(self):
        p = mpirun(3, "hello", "--json", "--threads", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        kinds = [w["kind"] for w in json.loads(p.stdout)["warnings"]]
        self.assertIn("host_oversubscribed", kinds)
        self.assertEqual(len(warnings_in(p.stderr)), len(kinds))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
