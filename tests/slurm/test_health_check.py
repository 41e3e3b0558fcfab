#!/usr/bin/python3
"""Slurm's HealthCheckProgram for real: slurmd on each virtual node runs configs/slurm/hyperslice-healthcheck
(`hyperslice check --node --quick --drain`) every few seconds, judged against a baseline saved by a check
of the whole cluster in good order (`mpirun hyperslice check --save-baseline`), as docs/check.md advises.

Each virtual node has cores of its own (`up --cores-per-node 1`, a cpuset): a node's check then measures
its own core, as on a real machine, and nothing in another node competes for it. Hence 2 nodes on a
2-core machine, 3 where there are 3 cores or more. node2 capped at a quarter of its core (`cpu node2
0.25`, a CPU quota over all its processes) makes its checks read about a quarter of the baseline:
slurmd's check drains node2 with a "hyperslice: memory: ..." (or compute) reason while every other
node's checks pass and it stays IDLE; with the cap lifted, the next check resumes node2. Nothing tells
hyperslice of the fault: the measurement finds it. Every wait is on what Slurm or the checks' logs show,
never on time alone.   Run by ctest: test_health_check.py <hyperslice> <root>
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import wait_for  # noqa: E402
from slurm_common import BIN, ENV, main, slurm, vc  # noqa: E402

# The bound. A vCPU of these shared VMs changes speed over minutes (the host's clock and neighbours): one
# core, one process, --quick, read 6.6e9 to 9.1e9 terms/s here in 14 runs (2026-12-03), each run's three
# repetitions within 3% of each other -- so a baseline and a later clean check may be 73% apart; and the
# two vCPUs at once may differ by 17% (core 0 read 83% of the median in a baseline's check). The cap
# leaves a quarter (18-34% of any such baseline). --tolerance 0.4 keeps both clear of the bound; on a real
# machine, whose cores hold their speed, the default 15% is the one to use.
TOLERANCE = "0.4"
CAP = "0.25"
INTERVAL = "6"  # s between slurmd's checks; a check takes about 3 s here, longer capped (one at a time)


def cores():
    p = subprocess.run(["hwloc-calc", "--number-of", "core", "all"], capture_output=True, text=True)
    return int(p.stdout.strip()) if p.returncode == 0 else 1


class HealthCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.n = min(3, cores())
        if cls.n < 2:
            raise unittest.SkipTest("one core: the virtual nodes cannot have cores of their own")
        cls.nodes = [f"node{k}" for k in range(1, cls.n + 1)]
        cls.tmp = tempfile.mkdtemp(prefix="hyperslice-health-")
        cls.base = os.path.join(cls.tmp, "base.json")
        vc("down", check=False)
        vc("up", str(cls.n), "--cores-per-node", "1")
        p = vc("mpirun", "-np", str(cls.n), BIN, "check", "--quick", "--tolerance", TOLERANCE, "--save-baseline", cls.base,
               check=False)
        assert p.returncode == 0 and os.path.exists(cls.base), f"the baseline's check: {p.stdout}{p.stderr}"
        env = dict(ENV, HYPERSLICE=BIN, HYPERSLICE_VC_HEALTH_INTERVAL=INTERVAL,
                   HYPERSLICE_HEALTHCHECK_ARGS=f"--baseline {cls.base} --tolerance {TOLERANCE}")
        vc("up", str(cls.n), "--cores-per-node", "1", "--slurm", "--health-check", env=env)
        cls.logs = os.path.join(ENV["HYPERSLICE_VC_STATE"], "slurm", "log")

    @classmethod
    def tearDownClass(cls):
        vc("down", check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def log(self, node):
        try:
            with open(os.path.join(self.logs, f"health-check-{node}.log")) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def verdicts(self, node):
        """The node's finished checks so far, in order: each one's "check: PASS|WARN|FAIL -- ..." line."""
        return re.findall(r"^check: (PASS|WARN|FAIL) ", self.log(node), re.M)

    def state(self, node):
        """(State, Reason) as `scontrol show node -o` says them (Reason up to its "[user@date]" stamp)."""
        line = slurm("scontrol", "show", "node", "-o", node).stdout
        st = re.search(r"\bState=(\S+)", line)
        why = re.search(r"\bReason=(.*?)(?: \[[^\]]*\])?(?: \w+=|$)", line)
        return (st.group(1) if st else "", why.group(1) if why else "")

    def test_a_busy_node_is_drained_by_its_own_check_and_resumed_once_it_is_free(self):
        everyone = lambda: all(self.verdicts(n) for n in self.nodes)  # noqa: E731
        wait_for(everyone, "a finished health check on every node", timeout=60)
        for n in self.nodes:
            self.assertNotIn("DRAIN", self.state(n)[0], f"{n} drained with the cluster in good order:\n{self.log(n)}")

        # node2 capped: its checks, and everything else it runs, get a quarter of its core.
        before = {n: len(self.verdicts(n)) for n in self.nodes}
        vc("cpu", "node2", CAP)
        others = [n for n in self.nodes if n != "node2"]
        seen = {n: set() for n in others}

        def node2_drained():
            for n in others:
                seen[n].add(self.state(n)[0])
            return "DRAIN" in self.state("node2")[0]
        wait_for(node2_drained, "node2 drained by its health check", timeout=90)
        state, reason = self.state("node2")
        # Its memory passes see the cap every time; its compute repetitions (10 ms with --quick) may slip
        # between the quota's 10 ms periods, so either stage may be the first to name it.
        found = re.match(r"hyperslice: (compute|memory): its (median_core|slowest_core|copy|triad): .*, (\d+)% of the "
                         r"baseline's .* bounds -40%$", reason)
        self.assertTrue(found, reason)
        self.assertLess(int(found.group(3)), 60, reason)  # below the bound: 100% - 40%
        self.assertIn(f"drained node2: {reason}", self.log("node2"))
        # Meanwhile every other node checked itself at least twice, passed, and stayed IDLE.
        wait_for(lambda: all(len(self.verdicts(n)) >= before[n] + 2 for n in others),
                 "two more checks on every other node", timeout=60)
        for n in others:
            seen[n].add(self.state(n)[0])
            self.assertEqual(seen[n], {"IDLE"}, f"{n}:\n{self.log(n)}")
            self.assertNotIn("FAIL", self.verdicts(n)[before[n]:], f"{n}:\n{self.log(n)}")

        # The cap lifted, the next check passes and lifts its own drain.
        vc("cpu", "node2", "off")
        started = time.time()
        wait_for(lambda: self.state("node2")[0] == "IDLE", "node2 resumed by its health check", timeout=90)
        self.assertIn("resumed node2 (its drain was hyperslice's)", self.log("node2"))
        self.assertEqual(self.verdicts("node2")[-1], "PASS")
        print(f"node2 resumed {time.time() - started:.1f} s after its cap was lifted", file=sys.stderr)


if __name__ == "__main__":
    main()
