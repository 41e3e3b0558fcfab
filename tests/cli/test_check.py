#!/usr/bin/python3
"""cli.Check: `hyperslice check` under mpirun -- a clean node passes with every sum equal; a core really
slowed (two busy processes pinned beside rank 1, found by the measurement, not by a fault hook) fails the node
with rank 1 named and exit 5; bad options are one line and exit 2 (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_check.py <path to hyperslice> <repo root>"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import BIN, ENV, SANITIZED, OneErrorLine, mpirun, open_mpi_only, validate  # noqa: E402

# A clean node must pass; under a sanitizer (cli_common.SANITIZED) within a tolerance wide enough for
# its noise: a core or memory below a tenth of its peers' still fails. The tests that judge a slowed core
# need the real tolerance and skip there; test_check_verdict and test_check_baseline hold that judgement
# under the sanitizers, on given numbers.
LOOSE = ["--tolerance", "0.9"] if SANITIZED else []
# A clean node of a shared VM: its two vCPUs are not equal peers. They read 17-25% apart here, and 35% apart
# twice in a row on CI (5.85 and 9.0e9 terms/s: rank 0 at 79% of the median of two, the default tolerance
# 15%) -- a real finding about that VM, not what the tests that use CLEAN judge. A median of two is their
# mean, so a core at a fraction r of its sibling reads 2r/(1+r) of it: 0.5 fails r below 1/3 only;
# test_a_busy_core_fails_its_node_by_measurement holds the default tolerance to a core really slowed.
CLEAN = LOOSE or ["--tolerance", "0.5"]
judges_rates = unittest.skipIf(SANITIZED, "judges measured rates against the real tolerance; a sanitizer's "
                                          "slow-down makes them too noisy")


# scontrol for one node, kept in a file as "STATE|REASON": `show node -o NAME` prints it as Slurm 22.05
# does (Reason with its [user@time] stamp), `update NodeName=N State=DRAIN|RESUME [Reason=...]` changes it.
FAKE_SCONTROL = """#!/usr/bin/python3
import sys
args = sys.argv[1:]
with open("{log}", "a") as f:
    f.write(" ".join(args) + "\\n")
state, reason = open("{state}").read().strip().split("|", 1)
if args[:3] == ["show", "node", "-o"]:
    print(f"NodeName={{args[3]}} Arch=x86_64 CPUTot=2 State={{state}} ThreadsPerCore=1 Weight=1"
          + (f" Reason={{reason}} [root@2026-12-02T16:00:00]" if reason else ""))
elif args[0] == "update":
    kv = dict(a.split("=", 1) for a in args[1:])
    if kv["State"] == "DRAIN":
        state, reason = state.split("+")[0] + "+DRAIN", kv["Reason"]
    elif kv["State"] == "RESUME":
        state, reason = state.split("+")[0], ""
    open("{state}", "w").write(state + "|" + reason)
"""


def smt():
    with open("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list") as f:
        return len(f.read().strip().replace("-", ",").split(","))


class Check(OneErrorLine, unittest.TestCase):
    def test_a_clean_node_passes_with_the_same_sums_everywhere(self):
        p = mpirun(2, "check", "--json", *CLEAN)  # mpirun validates the JSON against docs/schema/check.schema.json
        d = json.loads(p.stdout) if p.stdout.startswith("{") else {}
        findings = [f["message"] for n in d.get("nodes", []) for f in n["findings"]] + [f["message"] for f in d.get("cluster", [])]
        self.assertEqual(p.returncode, 0, p.stderr + "\n".join(findings))
        self.assertIn(d["status"], ("PASS", "WARN"))  # WARN only for a placement warning, never a node
        self.assertEqual([n["status"] for n in d["nodes"]], ["PASS"])
        self.assertEqual(d["nodes"][0]["ranks"], [0, 1])
        sums = {(k, isa): hex_ for r in d["per_rank"] for k, by in r["bits"].items() for isa, hex_ in by.items()}
        self.assertEqual(len({k for k, _ in sums}), 4)
        for kernel in {k for k, _ in sums}:
            self.assertEqual(len({h for (k, _), h in sums.items() if k == kernel}), 1, kernel)
        self.assertTrue(all(r["best_rate"] > 0 for r in d["per_rank"]))
        # memory: verified arrays of at least 8 MiB on every rank; the node's figure is its ranks' sum
        for r in d["per_rank"]:
            m = r["memory"]
            self.assertTrue(m["verified"], r)
            self.assertGreaterEqual(m["array_bytes"], 8 << 20)
            self.assertGreater(m["triad"], 0)
            self.assertGreater(m["copy"], 0)
        # links: 2 ranks, one step; the one host pair (within the node) holds both rank pairs, not judged
        self.assertEqual((d["links"]["steps"], d["links"]["sampled"]), (1, False))
        self.assertEqual([(h["pairs"], h["slow"]) for h in d["links"]["hosts"]], [(2, False)])
        self.assertTrue(all(len(r["links"]) == 1 and r["links"][0]["bandwidth"] > 0 for r in d["per_rank"]))
        self.assertEqual([(l["to"], l["from"]) for r in d["per_rank"] for l in r["links"]], [(1, 1), (0, 0)])
        node = d["nodes"][0]["memory"]
        self.assertAlmostEqual(node["triad"], sum(r["memory"]["triad"] for r in d["per_rank"]), delta=1)
        self.assertAlmostEqual(sum(n["triad"] for n in node["numa"]), node["triad"], delta=1)

    def test_text_names_the_verdict_first(self):
        p = mpirun(1, "check", "--only", "bits")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[1].startswith("check: PASS -- 1 node, 1 rank; stages bits"), lines[1])
        p = mpirun(1, "check", "--only", "memory,placement")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[1].startswith("check: PASS -- 1 node, 1 rank; stages placement,memory"), lines[1])
        self.assertEqual(lines[2].split()[-5:-1], ["copy", "GB/s", "triad", "GB/s"], lines[2])
        row = lines[3].split()
        self.assertEqual(row[1:5], ["PASS", "0", "-", "-"], lines[3])  # no compute stage: no rates
        self.assertGreater(float(row[5]), 0)  # copy GB/s
        self.assertRegex(lines[4], r"^memory: STREAM-like copy and triad, every rank at once on its own \d+ MiB arrays")

    @open_mpi_only
    @judges_rates
    def test_a_busy_core_fails_its_node_by_measurement(self):
        if (os.cpu_count() or 1) < 2:
            self.skipTest("needs two cores")
        # Two busy processes on core 1 leave rank 1 about a third of it; with one, rank 1 kept 55-75% here
        # (a CI run saw it above the 74% the tolerance allows against a median of two).
        hogs = [subprocess.Popen(["taskset", "-c", "1", sys.executable, "-c", "while True: pass"]) for _ in range(2)]
        try:
            p = mpirun(2, "check", "--json", "--only", "compute", mpi_args=["--bind-to", "core"])
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
        self.assertEqual(p.returncode, 5, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual(d["status"], "FAIL")
        node = d["nodes"][0]
        self.assertEqual(node["status"], "FAIL")
        self.assertEqual(node["slowest_rank"], 1)
        self.assertRegex(node["findings"][0]["message"], r"^rank 1's core: \S+ terms/s .*% of the median")

    def test_node_checks_this_node_from_one_process(self):
        # Without mpirun, as Slurm's HealthCheckProgram runs it: one pinned thread per core, no links. What
        # is tested is the layout and the report, not this VM's health: its two vCPUs can read 25% apart.
        p = subprocess.run([BIN, "check", "--node", "--quick", "--json", *CLEAN], capture_output=True, text=True, env=ENV, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        d = validate(json.loads(p.stdout), "check")
        self.assertEqual((d["settings"]["node"], d["settings"]["stages"]), (True, "placement,compute,memory,bits"))
        self.assertEqual(len(d["per_rank"]), len(os.sched_getaffinity(0)) // max(1, smt()), d["per_rank"])
        self.assertEqual(d["links"]["hosts"], [])
        self.assertTrue(all(r["memory"]["verified"] and r["best_rate"] > 0 for r in d["per_rank"]))
        p = subprocess.run([BIN, "check", "--node", "--quick", *CLEAN], capture_output=True, text=True, env=ENV, timeout=120)
        self.assertRegex(p.stdout.splitlines()[1], r"^check: PASS -- this node, \d+ cores? \(--node: one thread each\)")
        self.assertEqual(p.stdout.splitlines()[2].split()[:3], ["node", "status", "cores"])  # core indexes, not ranks

    @open_mpi_only
    @judges_rates
    def test_drain_follows_nhcs_protocol_with_the_measurement(self):
        if (os.cpu_count() or 1) < 2:
            self.skipTest("needs two cores")
        with tempfile.TemporaryDirectory() as d:
            # A stand-in scontrol on PATH that keeps one node's State and Reason in a file and logs each call.
            state, log = os.path.join(d, "state"), os.path.join(d, "log")
            with open(os.path.join(d, "scontrol"), "w") as f:
                f.write(FAKE_SCONTROL.format(state=state, log=log))
            os.chmod(os.path.join(d, "scontrol"), 0o755)
            env = dict(ENV, PATH=d + ":" + ENV["PATH"], SLURMD_NODENAME="fake1")
            # Between CLEAN and the default: a busy core (a third of its sibling's, 0.45 at most with the vCPUs
            # 35% apart) reads at most 62% of the median and fails; a clean one 35% apart reads 79% and passes.
            between = ["--tolerance", "0.3"]

            def check_node(state_line, hog=False):
                with open(state, "w") as f:
                    f.write(state_line)
                open(log, "w").close()
                # Two busy processes on core 1 leave its thread about a third of it: clearly below the
                # tolerance even after the second round a health check measures before it drains.
                busy = [subprocess.Popen(["taskset", "-c", "1", sys.executable, "-c", "while True: pass"])
                        for _ in range(2 if hog else 0)]
                try:
                    p = subprocess.run([BIN, "check", "--node", "--drain", "--only", "compute", *between],
                                       capture_output=True, text=True, env=env, timeout=120)
                finally:
                    for b in busy:
                        b.kill()
                        b.wait()
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)  # the node's Slurm state is the verdict
                with open(log) as f:
                    updates = [l.strip() for l in f if l.startswith("update")]
                with open(state) as f:
                    return updates, f.read().strip(), p.stderr
            # A busy core on an idle node: drained, with the measurement as the reason.
            updates, now, err = check_node("IDLE|", hog=True)
            self.assertEqual(len(updates), 1, updates)
            self.assertRegex(updates[0], r"^update NodeName=fake1 State=DRAIN Reason=hyperslice: compute: rank 1's core: ")
            self.assertTrue(now.startswith("IDLE+DRAIN|hyperslice: compute: rank 1's core"), now)
            self.assertIn("hyperslice: drained fake1: hyperslice: compute: rank 1's core", err)
            # The core free again: resumed, since the drain was hyperslice's, by the first check that passes.
            # A vCPU here can read 25% below its sibling for a while (2026-12-03: twice right after the busy
            # processes ended); slurmd would simply check again at its interval, and so does this, twice.
            for _ in range(3):
                updates, now, err = check_node(now)
                if updates:
                    break
            self.assertEqual(updates, ["update NodeName=fake1 State=RESUME"])
            self.assertIn("resumed fake1", err)
            # An administrator's drain is never replaced, and never resumed by hyperslice.
            self.assertEqual(check_node("IDLE+DRAIN|disk replaced", hog=True)[0], [])
            self.assertEqual(check_node("IDLE+DRAIN|disk replaced")[0], [])

    @open_mpi_only
    def test_expect_holds_the_job_to_a_layout(self):
        # The layout topology --recommend gives this host, launched by its own mpirun line, is what
        # --expect recommend asks for; one rank per core is not, unless that is the advice.
        rec = json.loads(subprocess.run([BIN, "topology", "--recommend", "--json"], capture_output=True, text=True,
                                        env=ENV, timeout=60).stdout)["recommendation"]
        argv = rec["argv"]
        self.assertEqual(argv[-2:], [BIN, "run"])
        args = ["check", "--quick", "--only", "placement,bits", "--json", "--expect", "recommend"]
        p = subprocess.run(argv[:-1] + args, capture_output=True, text=True, env=ENV, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        d = validate(json.loads(p.stdout), "check")
        self.assertEqual((d["status"], d["settings"]["expect"]), ("PASS", "recommend"))
        ranks, cores = rec["ranks_per_node"], rec["threads_per_rank"]
        per_core = mpirun(2, *args)
        if (ranks, cores) == (2, 1):
            self.assertEqual(per_core.returncode, 0, per_core.stdout)
        else:
            self.assertEqual(per_core.returncode, 5, per_core.stdout + per_core.stderr)
            found = [f["message"] for f in json.loads(per_core.stdout)["nodes"][0]["findings"]]
            advice = f"topology --recommend gives this host {ranks} rank{'s' if ranks > 1 else ''} x {cores} core"
            self.assertTrue(found and all(advice in m for m in found), found)
        # A stated layout: what mpirun -np 2 gives here (one node, a core each) passes; more nodes fail.
        self.assertEqual(mpirun(2, *args[:-1], "nodes=1,ranks-per-node=2,cores-per-rank=1").returncode, 0)
        wrong = mpirun(2, *args[:-1], "nodes=2")
        self.assertEqual(wrong.returncode, 5)
        self.assertEqual(json.loads(wrong.stdout)["cluster"][-1]["message"],
                         "the job has 1 node, expected 2 (--expect nodes=2)")

    def test_bad_options(self):
        self.expect_error(["check", "--only", "network"], "--only: expected stages among placement, compute, memory, links, bits")
        self.expect_error(["check", "--tolerance", "2"], "--tolerance: expected a fraction between 0 and 1")
        with tempfile.TemporaryDirectory() as d:
            self.expect_error(["check", "--baseline", os.path.join(d, "none.json")],
                              f"--baseline: cannot read '{d}/none.json': No such file or directory")
            corrupt = os.path.join(d, "corrupt.json")
            with open(corrupt, "w") as f:
                f.write('{"status": "PASS", "metrics": [')
            self.expect_error(["check", "--baseline", corrupt], f"--baseline: '{corrupt}' is not JSON")
            self.expect_error(["compare", corrupt, corrupt], f"compare: '{corrupt}' is not JSON", np_=1)
            self.expect_error(["check", "--save-baseline", d], f"--save-baseline: '{d}' is a folder")
            self.expect_error(["compare", corrupt], "after is required", np_=1)
            self.expect_error(["check", "--node"], "--node checks this node from one process, one thread per core")
            self.expect_error(["check", "--drain"], "--drain goes with --node")
            self.expect_error(["check", "--expect", "cores=2"], "--expect: unknown item 'cores=2' (expected recommend")
            self.expect_error(["check", "--expect", "nodes=0"], "--expect: nodes: expected a positive count, got '0'")
            self.expect_error(["check", "--expect", "recommend", "--only", "compute"], "--only must include placement")
            self.expect_error(["check", "--baseline", corrupt, "--save-baseline", corrupt], "--baseline and --save-baseline: one at a time")
            self.expect_error(["compare", "--alpha", "0.9", corrupt, corrupt], "--alpha: expected a significance level", np_=1)

    @judges_rates
    def test_a_baseline_passes_on_its_machine_and_a_slowed_run_fails_by_the_metric(self):
        with tempfile.TemporaryDirectory() as d:
            base, now, faster = (os.path.join(d, n) for n in ("base.json", "now.json", "faster.json"))
            stages = ["--only", "compute,memory,bits"]
            p = mpirun(2, "check", *stages, *CLEAN, "--save-baseline", base)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(base) as f:
                saved = validate(json.load(f), "check")  # a baseline is the check's JSON, context and all
            keys = [f"{m['scope']} {m['subject']} {m['name']}" for m in saved["metrics"]]
            self.assertEqual(len(keys), 5, keys)  # the node's median and slowest core, copy, triad; its CPU's cores
            # The same machine a moment later, within bounds wide enough for this shared VM's noise (memory
            # moves by up to 25% run to run here).
            p = mpirun(2, "check", "--json", *stages, "--baseline", base, "--tolerance", "0.5")
            self.assertEqual(p.returncode, 0, p.stderr)
            d_now = json.loads(p.stdout)
            self.assertEqual((d_now["baseline"]["compared"], d_now["baseline"]["outside"]), (5, 0))
            with open(now, "w") as f:
                json.dump(d_now, f)
            # A baseline from a machine three times faster: this run is slowed against it, metric by metric.
            for m in saved["metrics"]:
                m["value"] *= 3
                m["samples"] = [x * 3 for x in m["samples"]]
            with open(faster, "w") as f:
                json.dump(saved, f)
            p = mpirun(2, "check", "--json", *stages, "--baseline", faster)
            self.assertEqual(p.returncode, 5, p.stderr)
            node = json.loads(p.stdout)["nodes"][0]
            self.assertEqual(node["status"], "FAIL")
            messages = [f["message"] for f in node["findings"]]
            # about a third of the baseline's (this run's own speed moves a little from the one saved)
            self.assertTrue(any(re.match(r"its median_core: \S+ terms/s, [1-4]\d% of the baseline's", m) for m in messages), messages)
            self.assertTrue(any(re.match(r"its triad: [\d.]+ GB/s, \d+% of the baseline's", m) for m in messages), messages)
            # compare: the run against its own baseline is no regression; against the faster one it is.
            p = mpirun(1, "compare", "--json", "--tolerance", "0.5", base, now)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            c = json.loads(p.stdout)
            self.assertEqual((c["status"], c["regressions"], len(c["changes"])), ("PASS", 0, 5))
            p = mpirun(1, "compare", faster, now)
            self.assertEqual(p.returncode, 5, p.stdout + p.stderr)
            row = next(l for l in p.stdout.splitlines() if " median_core " in l and l.startswith("node "))
            self.assertRegex(row, r" -[5-9]\d\.\d% +0\.0\d+ +REGRESSED \(6\+6 samples\)$")  # about -67%
            self.assertIn("compare: FAIL -- 5 metrics in both", p.stdout)
            # A baseline another version of hyperslice saved: refused (its kernels may run at other speeds).
            saved["context"]["version"] = "0.0.1 (v0.0.1)"
            other = os.path.join(d, "other.json")
            with open(other, "w") as f:
                json.dump(saved, f)
            self.expect_error(["check", "--baseline", other], f"--baseline: '{other}' was saved by hyperslice 0.0.1; this is")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
