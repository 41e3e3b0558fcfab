#!/usr/bin/python3
"""cli.RunPlacement: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_run_placement.py <path to hyperslice> <repo root>"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import ENV, mpirun, warnings_in  # noqa: E402


class RunPlacement(unittest.TestCase):
    def test_run_warns_at_start_and_reports_bindings(self):
        p = mpirun(1, "run", "--json", "--terms", "1e6", env=dict(ENV, OMP_NUM_THREADS="2"))
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual([w["kind"] for w in d["warnings"]], ["threads_share_cores"])
        self.assertEqual(len(warnings_in(p.stderr)), 1)
        self.assertEqual(len(d["per_rank"][0]["bindings"]), 2)

    def test_pinned_one_thread_per_core_and_no_pin(self):
        p = mpirun(1, "run", "--json", "--terms", "1e6", "--threads", "2", mpi_args=["--bind-to", "none"])
        d = json.loads(p.stdout)
        r = d["per_rank"][0]
        self.assertTrue(r["pinned"])
        if os.cpu_count() >= 2:
            self.assertEqual([b["pus"] for b in r["bindings"]], ["0", "1"])
        p = mpirun(1, "run", "--json", "--terms", "1e6", "--threads", "2", "--no-pin", mpi_args=["--bind-to", "none"])
        self.assertFalse(json.loads(p.stdout)["per_rank"][0]["pinned"])
        env = dict(ENV, OMP_PLACES="cores")
        p = mpirun(1, "run", "--json", "--terms", "1e6", "--threads", "2", env=env, mpi_args=["--bind-to", "none"])
        self.assertFalse(json.loads(p.stdout)["per_rank"][0]["pinned"])


    def test_openmp_places_do_not_hide_the_ranks_binding(self):
        # With OMP_PLACES or OMP_PROC_BIND set, libgomp binds the initial thread to the first place at
        # start-up: the rank's binding is still the launcher's (the union of the places), and the thread
        # default counts its cores.
        allowed = mpirun(1, "topology", "--json").stdout
        pus = json.loads(allowed)["hosts"][0]["allowed_pus"]
        for omp in [dict(OMP_PLACES="cores", OMP_PROC_BIND="close"), dict(OMP_PROC_BIND="spread")]:
            p = mpirun(1, "hello", "--json", env=dict(ENV, **omp), mpi_args=["--bind-to", "none"])
            self.assertEqual(p.returncode, 0, p.stderr)
            r = json.loads(p.stdout)["per_rank"][0]
            self.assertEqual(r["pus"], pus, omp)
            self.assertEqual(r["threads"], json.loads(allowed)["hosts"][0]["cores"], omp)
            self.assertEqual(warnings_in(p.stderr), [], omp)

    def test_slurm_cpus_per_task_is_the_thread_default_and_bounds_the_threads(self):
        # The environment a task of `sbatch --cpus-per-task=1` sees (here without Slurm: tests/slurm runs it
        # for real): SLURM_CPUS_PER_TASK sets the threads when OMP_NUM_THREADS does not...
        slurm_env = [("SLURM_JOB_ID", "77"), ("SLURMD_NODENAME", "n7"), ("SLURM_CPUS_PER_TASK", "1")]
        p = mpirun(1, "hello", "--json", env=dict(ENV, **dict(slurm_env)), mpi_args=["--bind-to", "none"])
        self.assertEqual(p.returncode, 0, p.stderr)
        r = json.loads(p.stdout)["per_rank"][0]
        self.assertEqual(r["threads"], 1)
        self.assertEqual(r["slurm"], {"job_id": "77", "step_id": None, "node": "n7", "cpus_per_task": 1, "srun": False})
        self.assertIn("slurm: job 77, no step, ranks started by the MPI launcher, cpus-per-task 1; nodes: n7 (ranks 0)",
                      mpirun(1, "hello", env=dict(ENV, **dict(slurm_env))).stdout)
        # ... and more threads than that is a warning naming the fix.
        p = mpirun(1, "hello", "--json", env=dict(ENV, OMP_NUM_THREADS="2", **dict(slurm_env)),
                   mpi_args=["--bind-to", "none"])
        kinds = [w["kind"] for w in json.loads(p.stdout)["warnings"]]
        self.assertIn("threads_above_cpus_per_task", kinds)
        self.assertTrue(any("Fix: export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK" in w for w in warnings_in(p.stderr)))
        # Outside Slurm: no slurm object, no Slurm line.
        p = mpirun(1, "hello", "--json")
        self.assertIsNone(json.loads(p.stdout)["per_rank"][0]["slurm"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
