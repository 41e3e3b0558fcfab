#!/usr/bin/python3
"""Slurm for real: Debian's slurmctld and a slurmd per node of the virtual cluster (scripts/virtual-cluster
up 3 --slurm), with Open MPI (srun --mpi=pmix, mpirun) or, built against MPICH, with MPICH (srun
--mpi=pmi2, mpiexec; the stop/resume tests, which do not depend on the MPI, run under Open MPI only).

Three nodes idle in sinfo; the batch script `topology --recommend --slurm` prints, run with sbatch (srun
inside), and mpirun inside sbatch both give the one-node pi_hex; the ranks know their job, step and Slurm
node; srun with the wrong --mpi plugin is one line, not a wall of banners; scancel --signal=TERM mid-run
flushes the checkpoint and a resubmitted --resume job gives the uninterrupted bits; the requeue example
(configs/slurm/) survives its TERM and finishes by itself; a job killed at its time limit leaves a usable
checkpoint. Every job is held at a known point (HYPERSLICE_FAULT pause) when it must be interrupted, so
nothing depends on the CPU's speed. Skips (exit 77, with the reason) where network namespaces cannot be
made or Slurm is not installed.   Run by ctest: test_slurm.py <hyperslice> <root>
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import HOLD, done_count, validate, wait_for  # noqa: E402
from slurm_common import BIN, ENV, ROOT, main, slurm, vc  # noqa: E402

ARGS = ["--terms", "64e6", "--slices", "64"]
# The MPI the binary was built with (ctest passes it), and what it takes under Slurm (docs/slurm.md).
HYDRA = os.environ.get("HYPERSLICE_LAUNCHER", "openmpi") == "hydra"
PLUGIN, WRONG_PLUGINS = ("pmi2", ["none", "pmix"]) if HYDRA else ("pmix", ["none", "pmi2"])
# mpirun/mpiexec inside sbatch. The virtual nodes share this machine's cores: no binding by the launcher;
# Hydra connects back by host name, which the virtual nodes' names are not: -iface eth0 uses addresses.
LAUNCHER = "mpiexec.mpich -iface eth0 -bind-to none" if HYDRA else "mpirun --bind-to none"
open_mpi_only = unittest.skipIf(HYDRA, "stop, resume and requeue do not depend on the MPI: run under Open MPI")
INTERRUPTED = "hyperslice: interrupted by SIGTERM: checkpoint '{}' holds {} of 64 slices; rerun with --resume to finish"


def one_node(*args):
    p = subprocess.run([BIN, "run", "--json", *args], capture_output=True, text=True, env=ENV, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)["pi_hex"]


def json_line(text):
    lines = [l for l in text.splitlines() if l.startswith("{")]
    assert len(lines) == 1, text
    return json.loads(lines[0])


class Slurm(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        vc("down", check=False)
        vc("up", "3", "--slurm")
        cls.tmp = tempfile.mkdtemp(prefix="hyperslice-slurm-")
        cls.pi_hex = one_node(*ARGS)

    @classmethod
    def tearDownClass(cls):
        vc("down", check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def submit(self, script, *sbatch_args, args=(), env=ENV):
        """sbatch [SBATCH_ARGS] SCRIPT [ARGS]; the job id."""
        p = slurm("sbatch", "--parsable", *sbatch_args, script, *args, env=env)
        return p.stdout.strip().split(";")[0]

    FINAL = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE"}

    def state(self, job):
        """"STATE REASON" of the job, finished ones included (MinJobAge keeps them); "" if squeue failed."""
        p = slurm("squeue", "-h", "-t", "all", "-j", job, "-o", "%T %r", check=False)
        return p.stdout.strip() if p.returncode == 0 else ""

    def wait_done(self, job, timeout=180):
        """Until the job is in a final state (squeue polled, quicker than sbatch --wait); the states it
        went through, in order. A requeued job passes through COMPLETING and PENDING and is not done; a
        failed squeue call says nothing."""
        seen = []

        def done():
            s = self.state(job)
            if s and (not seen or seen[-1] != s):
                seen.append(s)
            return s.split(" ")[0] in self.FINAL
        try:
            wait_for(done, f"job {job} to end", timeout=timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}; its states: {seen}") from None
        return seen

    def script(self, name, body, **sbatch):
        path = os.path.join(self.tmp, name)
        lines = ["#!/bin/bash"] + [f"#SBATCH --{k.replace('_', '-')}={v}" for k, v in sbatch.items()] + [body, ""]
        with open(path, "w") as f:
            f.write("\n".join(lines))
        return path

    def read(self, path):
        with open(path, newline="") as f:  # every \r as written
            return f.read()

    def checkpointed_job(self, name):
        """A batch script running srun hyperslice with a checkpoint, its output appended to one file; the
        arguments given to sbatch after the script go to `run` (--resume, --json). (script, ckpt, out)."""
        ck = os.path.join(self.tmp, f"{name}.ckpt")
        out = os.path.join(self.tmp, f"{name}.out")
        body = f'srun --mpi=pmix {BIN} run --threads 1 {" ".join(ARGS)} --checkpoint {ck} --checkpoint-every 0.05 "$@"'
        return self.script(f"{name}.sbatch", body, nodes=3, ntasks_per_node=1, output=out, open_mode="append"), ck, out

    def resumed_to_the_same_bits(self, path, out):
        self.wait_done(self.submit(path, args=["--json", "--resume"]))
        d = json_line(self.read(out))
        self.assertEqual((d["pi_hex"], d["resumed_slices"]), (self.pi_hex, 6))

    def test_1_three_idle_nodes(self):
        p = slurm("sinfo", "-h", "-N", "-o", "%N %t")
        self.assertEqual(sorted(p.stdout.split("\n")[:-1]), ["node1 idle", "node2 idle", "node3 idle"])

    def test_2_recommended_batch_script_with_srun_gives_the_one_node_bits(self):
        p = subprocess.run([BIN, "topology", "--recommend", "--slurm", "--nodes", "3"], capture_output=True,
                           text=True, env=ENV)
        self.assertEqual(p.returncode, 0, p.stderr)
        script = p.stdout  # the script and nothing else: `> recommended.sbatch` saves it as it is
        self.assertTrue(script.startswith("#!/bin/bash\n# made by hyperslice "), script)
        self.assertIn("#SBATCH --nodes=3\n", script)
        self.assertIn("export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n", script)
        self.assertRegex(script, rf"\nsrun --mpi={PLUGIN} .*--cpus-per-task=\d+ --cpu-bind=cores \S+ run \"\$@\"\n")
        path = os.path.join(self.tmp, "recommended.sbatch")
        with open(path, "w") as f:
            f.write(script)
        out = os.path.join(self.tmp, "recommended.out")
        job = self.submit(path, f"--output={out}", args=[*ARGS, "--json"])
        self.wait_done(job)
        d = json_line(self.read(out))
        validate(d, "run")
        self.assertEqual(d["pi_hex"], self.pi_hex)
        self.assertEqual(d["hosts"], ["node1", "node2", "node3"])
        self.assertEqual(d["warnings"], [], "the recommended layout draws no warning")
        for rank, r in enumerate(d["per_rank"]):
            self.assertEqual(r["slurm"], {"job_id": job, "step_id": "0", "node": f"node{rank + 1}",
                                          "cpus_per_task": r["threads"], "srun": True})
            self.assertEqual(len(r["bindings"]), r["threads"], "threads default to SLURM_CPUS_PER_TASK")

    def test_3_mpirun_inside_sbatch_gives_the_one_node_bits(self):
        out = os.path.join(self.tmp, "mpirun.out")
        path = self.script("mpirun.sbatch", f"{LAUNCHER} {BIN} run --json --threads 1 " + " ".join(ARGS) +
                           f"\n{LAUNCHER} {BIN} hello --json --threads 1",
                           nodes=3, ntasks_per_node=1, output=out)
        self.wait_done(self.submit(path))
        runs = [json.loads(l) for l in self.read(out).splitlines() if l.startswith("{")]
        self.assertEqual(len(runs), 2, self.read(out))
        self.assertEqual(runs[0]["pi_hex"], self.pi_hex)
        self.assertEqual(runs[0]["hosts"], ["node1", "node2", "node3"])
        hello = runs[1]
        validate(hello, "hello")
        self.assertEqual(hello["hello"], [f"Hello, World! I am process {r} of 3 on node{r + 1}." for r in range(3)])
        for rank, r in enumerate(hello["per_rank"]):
            self.assertEqual(r["slurm"]["node"], f"node{rank + 1}")
            self.assertFalse(r["slurm"]["srun"], "started by mpirun's daemons, not srun")

    def test_4_srun_with_the_wrong_mpi_plugin_is_one_line(self):
        for plugin in WRONG_PLUGINS:
            p = slurm("srun", f"--mpi={plugin}", "-N2", "-n2", BIN, "run", "--terms", "1e6", check=False)
            self.assertNotEqual(p.returncode, 0)
            ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice")]
            self.assertEqual(len(ours), 1, p.stderr)
            self.assertRegex(ours[0], rf"^hyperslice: error: srun started 2 tasks with .* run srun --mpi={PLUGIN}")
            self.assertNotIn("MPI_Init", p.stderr + p.stdout)

    @open_mpi_only
    def test_5_scancel_term_mid_run_then_resume_gives_the_same_bits(self):
        path, ck, out = self.checkpointed_job("scancel")
        job = self.submit(path, env=dict(ENV, HYPERSLICE_FAULT=HOLD))
        wait_for(lambda: done_count(ck) == 6, "the held job's 6 slices")  # 3 ranks, each held at its third
        slurm("scancel", "--signal=TERM", job)  # every step's tasks, not the batch shell (no --full)
        self.wait_done(job)
        text = self.read(out)
        self.assertEqual([l for l in text.splitlines() if l.startswith("hyperslice:")], [INTERRUPTED.format(ck, 6)], text)
        # A batch log: the job ran for seconds, and no progress reached it, nor any control code.
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\r", text)
        self.assertNotIn(" slices, ", text)
        self.assertEqual(done_count(ck), 6)
        self.resumed_to_the_same_bits(path, out)

    @open_mpi_only
    def test_6_requeue_example_survives_its_signal_and_finishes(self):
        # configs/slurm/hyperslice-requeue.sbatch as shipped; the first run is held and gets the TERM that
        # Slurm sends to every step's tasks before the time limit (--signal=TERM@60) or on preemption, sent
        # here with scancel as soon as the checkpoint holds 6 slices; the requeued run is not held. The time
        # limit is far enough that Slurm's own signal (sent up to 30 s early: slurmctld checks every 30 s)
        # reaches neither run.
        ck = os.path.join(self.tmp, "requeue.ckpt")
        wrapper = os.path.join(self.tmp, "held-first-time")
        with open(wrapper, "w") as f:
            f.write(f'#!/bin/sh\n[ -n "$SLURM_RESTART_COUNT" ] || export HYPERSLICE_FAULT="{HOLD}"\nexec {BIN} "$@"\n')
        os.chmod(wrapper, 0o755)
        out = os.path.join(self.tmp, "requeue.out")
        env = dict(ENV, HYPERSLICE=wrapper, CHECKPOINT=ck)
        job = self.submit(os.path.join(ROOT, "configs/slurm/hyperslice-requeue.sbatch"), "--nodes=3", "--time=5",
                          f"--output={out}", args=[*ARGS, "--json", "--checkpoint-every", "0.05"], env=env)
        wait_for(lambda: done_count(ck) == 6, "the held first run's 6 slices")
        slurm("scancel", "--signal=TERM", job)
        # Slurm holds the requeued job back for cred_expire + 1 s (11 s here; reason BeginTime), and that
        # hold must not be cut short (scontrol update StartTime=now): slurmd refuses a credential made in
        # the same second as the revocation of the job's last run, and the job then ends unrun.
        states = self.wait_done(job)
        self.assertIn("PENDING BeginTime", states, "the job was requeued and held by Slurm")
        text = self.read(out)
        self.assertIn(INTERRUPTED.format(ck, 6), text)
        self.assertIn(f"hyperslice-requeue: interrupted; requeueing job {job}", text)
        self.assertIn(f"hyperslice-requeue: job {job}, run 2, --resume", text, f"the job's states: {states}")
        d = json_line(text)
        self.assertEqual((d["pi_hex"], d["resumed_slices"]), (self.pi_hex, 6))
        self.assertFalse(os.path.exists(ck), "the example removes the checkpoint of a finished job")

    @open_mpi_only
    def test_7_time_limit_leaves_a_usable_checkpoint(self):
        path, ck, out = self.checkpointed_job("limit")
        job = self.submit(path, "--time=1", env=dict(ENV, HYPERSLICE_FAULT=HOLD))  # held: it reaches its limit
        self.wait_done(job, timeout=240)
        text = self.read(out)
        self.assertRegex(text, rf"JOB {job} ON node1 CANCELLED AT \S+ DUE TO TIME LIMIT")
        self.assertIn(INTERRUPTED.format(ck, 6), text)
        self.resumed_to_the_same_bits(path, out)


if __name__ == "__main__":
    main()
