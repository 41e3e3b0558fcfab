#!/usr/bin/python3
"""End-to-end tests of the hyperslice executable under mpirun: output parsed, bits compared, and the
bad-input contract (one 'hyperslice: error:' line from rank 0, exit 2 everywhere, no MPI_Abort).

Run by ctest as: test_cli.py <path to hyperslice> <repo root>
"""
import json
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import (HOLD, child_pids, done_count, done_slices, gone, start_held_job, terms_of_slice,  # noqa: E402
                     validate, wait_for)

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/cli/hyperslice"
ROOT = sys.argv[2] if len(sys.argv) > 2 else "."
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
ENV.pop("OMP_NUM_THREADS", None)
SEED_PI_HEX = "0x1.921fb5337bd9ep+1"
# Sanitizer presets shrink the long runs (ASan slows the SIMD loops ~15x); the checks stay the same.
SCALE = float(os.environ.get("HYPERSLICE_TEST_SCALE", "1"))


def terms(n):
    return str(max(1000000, int(float(n) * SCALE)))


# The launcher of the MPI the binary was built with (ctest passes it): Open MPI's mpirun, or MPICH's
# mpiexec (Hydra). Tests written against Open MPI's own options or behaviour say so and skip under Hydra.
HYDRA = os.environ.get("HYPERSLICE_LAUNCHER", "openmpi") == "hydra"
MPIEXEC = os.environ.get("HYPERSLICE_MPIEXEC", "mpiexec.mpich" if HYDRA else "mpirun")
open_mpi_only = unittest.skipIf(HYDRA, "relies on Open MPI's mpirun: a terminal for the ranks' stdout, SIGTERM "
                                        "forwarded to the ranks, ranks as mpirun's direct children")


def launch(np, mpi_args=(), quiet=True, env=()):
    """The launcher's words for np ranks: Open MPI's (-q, --oversubscribe, -x NAME=VALUE) or Hydra's
    (it oversubscribes and passes the environment by default; -genv NAME VALUE, -bind-to)."""
    if HYDRA:
        words = [w.replace("--bind-to", "-bind-to") for w in mpi_args]
        if "-bind-to" not in words:  # Open MPI's default policy, so that the same expectations hold
            words += ["-bind-to", "core" if np <= 2 else "socket"]
        for name, value in env:
            words += ["-genv", name, value]
        return [MPIEXEC, *words, "-n", str(np)]
    words = [f"{name}={value}" for name, value in env]
    return [MPIEXEC] + (["-q"] if quiet else []) + ["--oversubscribe", *mpi_args] + \
        [x for w in words for x in ("-x", w)] + ["-np", str(np)]


def mpirun(np, *args, quiet=True, env=None, timeout=120, mpi_args=()):
    cmd = launch(np, mpi_args, quiet) + [BIN] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env or ENV)
    if "--json" in args and p.returncode == 0:
        validate(json.loads(p.stdout), args[0])  # every JSON output of every test meets its schema
    return p


# What rank 0 says of a SIGTERM from Open MPI's launcher: its process name (mpirun, or mpiexec as ctest runs it).
FROM_MPIRUN = f"SIGTERM from {os.path.basename(MPIEXEC)[:15]} (which stops its ranks with SIGTERM on SIGINT and SIGTERM alike)"


def warnings_in(stderr):
    return [l for l in stderr.splitlines() if l.startswith("hyperslice: warning: ")]


def hexbits(s):
    return float.fromhex(s)


class RunOutput(unittest.TestCase):
    def test_json_has_the_documented_fields_and_the_seed_value(self):
        p = mpirun(2, "run", "--json", "--threads", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        for key in ["kernel", "terms", "slices", "slice_size", "ranks", "threads", "schedule", "isa", "pi", "pi_hex",
                    "seconds", "terms_per_second", "per_rank", "hosts", "error", "warnings"]:
            self.assertIn(key, d)
        self.assertEqual((d["kernel"], d["terms"], d["slices"], d["ranks"]), ("leibniz-grouped", 128000000, 128, 2))
        self.assertEqual(d["slice_size"], 1000000)
        self.assertEqual(hexbits(d["pi_hex"]), hexbits(SEED_PI_HEX))
        self.assertEqual(d["pi"], 3.1415926457772931)  # a JSON number that reads back to the exact double
        self.assertEqual(float.hex(d["pi"]), SEED_PI_HEX)
        self.assertEqual([r["rank"] for r in d["per_rank"]], [0, 1])
        self.assertEqual(sum(r["slices"] for r in d["per_rank"]), 128)
        for r in d["per_rank"]:
            self.assertEqual(set(r), {"rank", "host", "threads", "isa", "isa_available", "slices", "blocks", "seconds",
                                      "max_rss_mb", "pus", "bound", "pinned", "pin_note", "omp_num_threads_set",
                                      "threads_given", "bindings", "slurm"})
            # No per-term storage (that would be >= 1 GB here); sanitizer builds add their shadow memory.
            self.assertLess(r["max_rss_mb"], 50 if SCALE == 1 else 200)
        self.assertEqual(p.stderr, "")

    def test_text_report_gives_pi_error_and_time_first(self):
        p = mpirun(1, "run", "--terms", "1e6", "--quiet")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertRegex(lines[0], r"^hyperslice \d+\.\d+\.\d+.*, (Open MPI|MPICH).* \| " + re.escape(os.uname().nodename))
        self.assertTrue(lines[1].startswith("pi        3.14159"), lines[1])
        self.assertTrue(lines[2].startswith("error"), lines[2])
        self.assertTrue(lines[3].startswith("time"), lines[3])
        self.assertIn("1 rank x", p.stdout)

    def test_same_bits_across_ranks_schedules_slices_threads_and_kernels(self):
        for kernel in ["leibniz", "leibniz-paired", "leibniz-grouped", "midpoint"]:
            seen = set()
            for np_, sched, slices, threads in [(1, "static", 1, 1), (2, "dynamic", 7, 1), (3, "static", 50, 1),
                                                (3, "dynamic", 128, 1), (1, "dynamic", 13, 2), (2, "static", 9, 2),
                                                (5, "hierarchical", 97, 1)]:
                groups = ["--group-size", "2"] if sched == "hierarchical" else []  # leaders 2 and 4; 3 is 2's
                p = mpirun(np_, "run", "--json", "--kernel", kernel, "--terms", "3000001", "--slices", str(slices),
                           "--schedule", sched, "--threads", str(threads), *groups)
                self.assertEqual(p.returncode, 0, p.stderr)
                seen.add(json.loads(p.stdout)["pi_hex"])
            self.assertEqual(len(seen), 1, (kernel, seen))

    def test_verify_finds_zero_ulp_near_and_far(self):
        for n in [terms(128000000), terms(1000000007), terms(4e10)]:  # sanitizer presets scale these down
            p = mpirun(2, "run", "--json", "--verify", "--terms", n)
            self.assertEqual(p.returncode, 0, p.stderr)
            d = json.loads(p.stdout)
            self.assertEqual(d["verify"]["ulps"], 0, n)
            self.assertEqual(d["verify"]["exact_hex"], d["pi_hex"])
            self.assertIn("MPFR", d["verify"]["method"])
            self.assertTrue(d["verify"]["ok"])
        text = mpirun(1, "run", "--verify", "--quiet")
        self.assertIn(f"verify    exact 3.1415926457772931  ({SEED_PI_HEX}), 0 ulp from it (ok)", text.stdout)

    def test_every_run_verifies_unless_told_not_to(self):
        # On by default wherever the kernel has a closed form; --no-verify skips it; midpoint has none.
        d = json.loads(mpirun(1, "run", "--json", "--terms", "1e7").stdout)
        self.assertEqual((d["verify"]["ulps"], d["verify"]["ok"], d["verify"]["exact_hex"]), (0, True, d["pi_hex"]))
        p = mpirun(1, "run", "--json", "--terms", "1e7", "--no-verify")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("verify", json.loads(p.stdout))
        self.assertIn("\nverify    skipped (--no-verify)\n", mpirun(1, "run", "--terms", "1e7", "--no-verify").stdout)
        m = mpirun(1, "run", "--kernel", "midpoint", "--terms", "1e7")
        self.assertEqual(m.returncode, 0, m.stderr)
        self.assertIn("\nverify    none (the midpoint rule has no closed form)\n", m.stdout)
        both = mpirun(1, "run", "--verify", "--no-verify")
        self.assertEqual(both.returncode, 2)
        self.assertEqual(len(both.stderr.strip().splitlines()), 1, both.stderr)

    def test_verify_fails_loudly_on_a_wrong_result(self):
        for flags in [["--verify"], []]:  # asked for, or by default
            p = mpirun(2, "run", "--quiet", *flags, env=dict(ENV, HYPERSLICE_FAULT="corrupt@1"))
            self.assertEqual(p.returncode, 4, p.stderr)
            ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: ")]
            self.assertEqual(len(ours), 1, p.stderr)
            self.assertRegex(ours[0], r"^hyperslice: error: verify: pi 0x\S+ is \d+ ulps from the exact partial sum "
                                      + re.escape(SEED_PI_HEX) + r" \(more than 1\)$")
            self.assertIn("FAILED", p.stdout)
        # --no-verify: the wrong answer goes out unchecked, as asked.
        self.assertEqual(mpirun(2, "run", "--quiet", "--no-verify", env=dict(ENV, HYPERSLICE_FAULT="corrupt@1")).returncode, 0)

    def test_config_file_and_override(self):
        p = mpirun(1, "run", "--json", "--config", os.path.join(ROOT, "configs/seed-table2.toml"), "--slice-size", "1000")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual((d["slices"], d["terms"]), (50, 50000))


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


def pu_set(text):
    """hwloc list syntax ("0-3,8") as a set."""
    out = set()
    for part in filter(None, text.split(",")):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return frozenset(out)


def mask_set(mask):
    """An hwloc XML cpuset ("0xffffffff,0x0000000f": 32-bit words, most significant first) as a set."""
    value = int("".join(w.removeprefix("0x") for w in mask.split(",")), 16)
    return frozenset(i for i in range(value.bit_length()) if value >> i & 1)


def hwloc_facts(xml_text):
    """What lstopo's XML export says: caches, cores' PUs, NUMA memory, CPU model."""
    root = ET.fromstring(xml_text)
    kinds = {"0": "unified", "1": "data", "2": "instruction"}
    objects = list(root.iter("object"))
    caches = sorted((int(o.get("depth")), kinds[o.get("cache_type")], int(o.get("cache_size")),
                     int(o.get("cache_linesize")), sorted(mask_set(o.get("cpuset"))))
                    for o in objects if o.get("type").endswith("Cache"))
    cores = sorted(sorted(mask_set(o.get("cpuset"))) for o in objects if o.get("type") == "Core")
    numa = sorted((int(o.get("local_memory", 0)), sorted(mask_set(o.get("cpuset"))))
                  for o in objects if o.get("type") == "NUMANode")
    models = [i.get("value") for o in objects if o.get("type") == "Package" for i in o.findall("info")
              if i.get("name") == "CPUModel"]
    return {"caches": caches, "cores": cores, "numa": numa, "cpu_model": models[0] if models else None}


def our_facts(host):
    return {"caches": sorted((c["level"], c["type"], c["size_bytes"], c["line_bytes"], sorted(pu_set(c["pus_list"])))
                             for c in host["caches"]),
            "cores": sorted(sorted(pu_set(s)) for s in host["smt_siblings"]),
            "numa": sorted((n["memory_bytes"], sorted(pu_set(n["pus_list"]))) for n in host["numa_list"]),
            "cpu_model": host["cpu_model"]}


def lstopo_xml(*args):
    p = subprocess.run(["lstopo-no-graphics", *args, "--of", "xml", "-"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


class Topology(unittest.TestCase):
    def assert_same_as_hwloc(self, ours, theirs, what):
        self.assertTrue(theirs["caches"] or what != "fixture", "the fixture has caches")
        for key in ["caches", "cores", "numa", "cpu_model"]:
            self.assertEqual(ours[key], theirs[key], f"{what}: {key}")

    def test_caches_cores_numa_and_model_equal_hwlocs_own_tools(self):
        fixture = os.path.join(ROOT, "tests/data/topology-2pack-2numa-smt2.xml")
        synthetic = "pack:2 [numa(memory=4GiB)] l3:2(size=8MiB) core:3 l2:1(size=512KiB) l1d:1(size=32KiB) pu:2"
        for what, args, theirs in [("this host", [], lstopo_xml()),
                                   ("synthetic", ["--synthetic", synthetic], lstopo_xml("-i", synthetic)),
                                   ("fixture", ["--input", fixture], lstopo_xml("-i", fixture))]:
            p = mpirun(1, "topology", "--json", *args)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assert_same_as_hwloc(our_facts(json.loads(p.stdout)["hosts"][0]), hwloc_facts(theirs), what)

    def test_text_labels_logical_and_os_indexes_and_lists_every_cache_kind(self):
        p = mpirun(1, "topology", "--input", os.path.join(ROOT, "tests/data/topology-2pack-2numa-smt2.xml"))
        self.assertEqual(p.returncode, 0, p.stderr)
        for line in ["  package L#1: cores L#8-15, PUs P#16-31", "  NUMA L#1: 8.0 GiB, cores L#8-15, PUs P#16-31",
                     "  L1d  48 KiB x 16, 64 B lines: one per core", "  L1i  32 KiB x 16, 64 B lines: one per core",
                     "  L2   1 MiB x 16, 64 B lines: one per core",
                     "  L3   16 MiB x 4, 64 B lines: L#0: cores L#0-3; L#1: cores L#4-7; L#2: cores L#8-11; "
                     "L#3: cores L#12-15"]:
            self.assertIn(line + "\n", p.stdout)
        self.assertIn("  SMT siblings (2 PUs per core): core L#0 = PUs P#0-1; core L#1 = PUs P#2-3;", p.stdout)

    def test_this_host_under_mpirun_groups_ranks_by_host(self):
        p = mpirun(2, "topology", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual(len(d["hosts"]), 1)
        h = d["hosts"][0]
        self.assertEqual(h["cores"], os.cpu_count())
        self.assertEqual([r["rank"] for r in h["ranks"]], [0, 1])
        self.assertEqual(d["warnings"], [])

    def test_synthetic_report_and_recommendation(self):
        p = mpirun(1, "topology", "--synthetic", "pack:2 numa:2 core:8 pu:2", "--recommend", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        h = d["hosts"][0]
        self.assertEqual((h["packages"], h["numa_nodes"], h["cores"], h["pus"], h["smt"]), (2, 4, 32, 64, 2))
        rec = d["recommendation"]
        self.assertEqual((rec["ranks_per_node"], rec["threads_per_rank"]), (4, 8))
        self.assertIn("-bind-to core:8 -genv OMP_NUM_THREADS 8" if HYDRA else
                      "--map-by ppr:1:numa:PE=8 --bind-to core -x OMP_NUM_THREADS=8", rec["command"])
        self.assertEqual(shlex.split(rec["command"]), rec["argv"])
        text = mpirun(1, "topology", "--synthetic", "pack:1 core:64 pu:2", "--recommend")
        self.assertIn("host synthetic", text.stdout)
        self.assertIn("64 cores, 128 PUs (SMT 2)", text.stdout)
        self.assertIn("mpiexec -n 1 -ppn 1 -bind-to core:64" if HYDRA else "mpirun -np 1 --map-by ppr:1:socket:PE=64",
                      text.stdout)


    def test_slurm_batch_script_for_the_layout(self):
        p = mpirun(1, "topology", "--synthetic", "pack:2 core:4 pu:2", "--recommend", "--slurm", "--nodes", "4",
                   "--time", "2:00:00", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        rec = json.loads(p.stdout)["recommendation"]
        plugin = "pmi2" if HYDRA else "pmix"  # what srun needs for this MPI (docs/slurm.md)
        self.assertEqual(rec["argv"][:2], ["srun", f"--mpi={plugin}"])
        self.assertEqual(rec["argv"][-1], "run")
        self.assertEqual(shlex.split(rec["command"]), rec["argv"])
        lines = rec["batch_script"].splitlines()
        self.assertEqual(lines[0], "#!/bin/bash")
        sbatch = [l.split()[1] for l in lines if l.startswith("#SBATCH")]
        self.assertEqual(sbatch[1:7], ["--nodes=4", "--ntasks-per-node=2", "--cpus-per-task=4", "--hint=nomultithread",
                                       "--time=2:00:00", "--signal=TERM@60"])
        self.assertIn("export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK", lines)
        self.assertEqual(lines[-1], rec["command"] + ' "$@"')
        self.assertIn("--cpus-per-task=4", rec["argv"], "Slurm 22.05's srun does not inherit it from sbatch")
        # `topology --recommend --slurm > pi.sbatch` makes a script: stdout is the script and nothing else,
        # what made it and why in comments before the #SBATCH lines (sbatch reads those up to the first command).
        text = mpirun(1, "topology", "--recommend", "--slurm")
        self.assertEqual(text.returncode, 0, text.stderr)
        lines = text.stdout.splitlines()
        self.assertEqual(lines[0], "#!/bin/bash")
        self.assertRegex(lines[1], r"^# made by hyperslice \S+ .* \| \d{4}-\d\d-\d\dT")
        self.assertIn("#SBATCH --job-name=hyperslice", lines)
        head = lines[:lines.index("#SBATCH --job-name=hyperslice")]
        self.assertTrue(all(l.startswith("#") for l in head), head)
        self.assertTrue(any(l.startswith("#   because: ") for l in head), head)
        self.assertTrue(text.stdout.endswith(' run "$@"\n'), text.stdout)
        with tempfile.NamedTemporaryFile("w", suffix=".sbatch") as f:
            f.write(text.stdout)
            f.flush()
            self.assertEqual(subprocess.run(["bash", "-n", f.name]).returncode, 0)


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


class Checkpoints(unittest.TestCase):
    def test_killed_run_resumes_to_the_same_bits_on_another_layout(self):
        args = ["run", "--json", "--kernel", "leibniz-paired", "--terms", "64e6", "--slices", "64"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            cmd = launch(2) + [BIN] + args + ["--checkpoint", ck, "--checkpoint-every", "0.05"]
            p = start_held_job(cmd, ck, 4, dict(ENV, HYPERSLICE_FAULT=HOLD), start_new_session=True)
            ranks = child_pids(p.pid)
            os.killpg(p.pid, signal.SIGKILL)  # the whole job, as a power cut would
            p.communicate()
            # The dead job's lock goes with its last process (flock): wait for them, not for a guess.
            wait_for(lambda: gone(ranks), "the killed ranks to be gone")
            resumed_terms = sum(terms_of_slice(s, 64e6, 64) for s in done_slices(ck))
            resumed = mpirun(1, *args, "--threads", "2", "--checkpoint", ck, "--resume", mpi_args=["--bind-to", "none"])
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual(r["resumed_slices"], 4)
            fresh = json.loads(mpirun(2, *args).stdout)
            self.assertEqual(r["pi_hex"], fresh["pi_hex"])
            # The rate counts only this run's own terms: 60 of the 64 slices of 10^6 (whole 65,536-term blocks).
            self.assertEqual(fresh["terms_computed"], 64000000)
            self.assertEqual(r["terms_computed"], 64000000 - resumed_terms)
            self.assertAlmostEqual(r["terms_per_second"], r["terms_computed"] / r["seconds"], delta=1)
            # Run again on the finished checkpoint: nothing is computed, and no rate is made up.
            again = mpirun(1, *args, "--checkpoint", ck, "--resume")
            self.assertEqual(again.returncode, 0, again.stderr)
            a = json.loads(again.stdout)
            self.assertEqual((a["resumed_slices"], a["terms_computed"], a["terms_per_second"]), (64, 0, 0))
            self.assertEqual(a["pi_hex"], fresh["pi_hex"])

    def test_bad_checkpoints(self):
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "c.ckpt")
            base = ["run", "--terms", "1e6", "--slices", "8", "--checkpoint", ck]
            self.assertEqual(mpirun(1, *base, "--json").returncode, 0)
            good = open(ck).read()
            for name, text, needle in [("empty", "", "is empty"),
                                       ("truncated", good[: len(good) // 2], "is truncated"),
                                       ("corrupt", good.replace("done 0-7", "done 0-6"), "checksum mismatch"),
                                       ("binary", "\x00\x01\x02\n", "not a hyperslice checkpoint")]:
                with open(ck, "w") as f:
                    f.write(text)
                BadInput.expect_error(self, base + ["--resume"], needle)
            with open(ck, "w") as f:
                f.write(good)
            BadInput.expect_error(self, ["run", "--terms", "2e6", "--slices", "8", "--checkpoint", ck, "--resume"],
                                  "is for kernel leibniz-grouped, 1000000 terms, 8 slices")
        BadInput.expect_error(self, ["run", "--resume"], "--resume needs --checkpoint FILE")
        BadInput.expect_error(self, ["run", "--force"], "--force needs --checkpoint FILE")
        BadInput.expect_error(self, ["run", "--checkpoint", "/tmp/x.ckpt", "--resume"] if not os.path.exists("/tmp/x.ckpt")
                              else ["run", "--checkpoint", "/nonexistent/x", "--resume"], "cannot read checkpoint")
        BadInput.expect_error(self, ["run", "--checkpoint", "/nonexistent/dir/run.ckpt"], "--checkpoint: cannot write")
        BadInput.expect_error(self, ["run", "--checkpoint-every", "0"], "--checkpoint-every: expected seconds")
        BadInput.expect_error(self, ["run", "--fail-timeout", "soon"], "--fail-timeout: expected seconds")


class CheckpointsNeverClobber(unittest.TestCase):
    def test_only_a_checkpoint_is_ever_replaced(self):
        with tempfile.TemporaryDirectory() as d:
            user = os.path.join(d, "results.csv")
            with open(user, "w") as f:
                f.write("n,seconds\n")
            link = os.path.join(d, "link.ckpt")
            os.symlink(user, link)
            fifo = os.path.join(d, "fifo.ckpt")
            os.mkfifo(fifo)
            base = ["run", "--terms", "1e6", "--slices", "8"]
            for extra in [[], ["--force"]]:
                BadInput.expect_error(self, base + ["--checkpoint", user] + extra, "exists and is not a hyperslice checkpoint")
                BadInput.expect_error(self, base + ["--checkpoint", link] + extra, "is a symbolic link")
                BadInput.expect_error(self, base + ["--checkpoint", fifo] + extra, "is a FIFO, not a checkpoint")
                BadInput.expect_error(self, base + ["--checkpoint", d] + extra, "is a folder, not a checkpoint")
            if os.geteuid() == 0:  # our own /dev/full (1, 7), never the machine's
                dev = os.path.join(d, "full")
                os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
                BadInput.expect_error(self, base + ["--checkpoint", dev, "--force"], "is a character device")
                self.assertTrue(stat.S_ISCHR(os.lstat(dev).st_mode))
            with open(user) as f:
                self.assertEqual(f.read(), "n,seconds\n")
            self.assertTrue(os.path.islink(link) and stat.S_ISFIFO(os.lstat(fifo).st_mode))
            self.assertEqual(sorted(os.listdir(d)), sorted(["results.csv", "link.ckpt", "fifo.ckpt"] +
                                                            (["full"] if os.geteuid() == 0 else [])))

            ck = os.path.join(d, "run.ckpt")
            self.assertEqual(mpirun(2, *base, "--checkpoint", ck).returncode, 0)
            BadInput.expect_error(self, base + ["--checkpoint", ck], "already holds a checkpoint; add --resume")
            BadInput.expect_error(self, base + ["--checkpoint", ck, "--force", "--resume"], "exclude each other")
            again = mpirun(2, *base, "--json", "--checkpoint", ck, "--force")
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertEqual(json.loads(again.stdout)["resumed_slices"], 0)

    def test_a_second_job_on_the_same_checkpoint_is_refused(self):
        args = ["run", "--terms", "64e6", "--slices", "64", "--quiet"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            first = start_held_job(launch(2) + [BIN] + args + ["--checkpoint", ck, "--checkpoint-every", "0.05"],
                                   ck, 4, dict(ENV, HYPERSLICE_FAULT=HOLD))
            try:
                BadInput.expect_error(self, args + ["--checkpoint", ck, "--resume"],
                                      f"'{ck}' is in use by another hyperslice job (it holds '{ck}.lock')")
                self.assertEqual(done_count(ck), 4, "the second job touched nothing")
            finally:
                first.send_signal(signal.SIGTERM)
                first.communicate(timeout=60)


class ProgressLine(unittest.TestCase):
    """Progress under mpirun, decided by where mpirun's stderr goes (a rank's own stdout is a pty and its
    stderr a pipe whatever mpirun's are, in Open MPI 4.1): the live line on a terminal, nothing in a log,
    plain newline-terminated lines on a dumb terminal or when forced into a log -- and never a control
    code there. Each job is held (HYPERSLICE_FAULT pause) so it lasts as long as the test needs."""
    LINE = re.compile(r"hyperslice: (progress: )?\d+/64 slices, [0-9.e+-]+ terms/s, \d+ s elapsed, ETA (\d+ s|\?)")

    def held(self, d, *flags, terminal=True, stderr_file=None, term="xterm"):
        ck = os.path.join(d, "run.ckpt")
        log = os.path.join(d, "out.log")
        cmd = launch(2) + [BIN, "run", "--terms", "64e6", "--slices", "64",
               "--checkpoint", ck, "--checkpoint-every", "0.05", *flags]
        env = dict(ENV, HYPERSLICE_FAULT=HOLD, TERM=term)
        with open(log, "w") as out:
            if terminal:  # util-linux script: the command on a pty, everything it prints into the log.
                # `exec`: script runs the command with $SHELL -c, and dash (/bin/sh, or SHELL unset) stays
                # as mpirun's parent, so stop() would signal the shell and orphan the job.
                line = "exec " + shlex.join(cmd) + (" 2>" + shlex.quote(stderr_file) if stderr_file else "")
                p = subprocess.Popen(["script", "-qfec", line, log], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            else:
                p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        started = time.time()
        wait_for(lambda: done_count(ck) == 4 or p.poll() is not None, "the held job's first 4 slices")
        return p, log, started

    def stop(self, p):
        mpirun_pid = child_pids(p.pid)[0] if p.args[0] == "script" else p.pid
        with open(f"/proc/{mpirun_pid}/comm") as f:
            self.assertRegex(f.read().strip(), r"^(mpirun|mpiexec|orterun)")  # not a shell in between
        os.kill(mpirun_pid, signal.SIGTERM)  # mpirun forwards it; the ranks flush and exit
        p.wait(timeout=60)

    def text(self, path):
        with open(path, errors="replace", newline="") as f:  # keep every \r as written
            return f.read()

    def assert_no_control_codes(self, text, what):
        self.assertNotIn("\x1b", text, what)
        self.assertIsNone(re.search(r"\r(?!\n)", text), what)  # a pty turns \n into \r\n: only that \r

    def held_beside_a_watched_control(self, jobs):
        """The jobs under test ({folder: held() arguments}) and a control job on a terminal, all held at the
        same point: once the control shows its line (the 2 s rule has passed for all), every job under
        test has had its chance too. Returns each job's log."""
        started = [(d, self.held(d, *args.pop("flags", ()), **args)) for d, args in jobs.items()]
        with tempfile.TemporaryDirectory() as c:
            control, control_log, _ = self.held(c)
            try:
                wait_for(lambda: self.LINE.search(self.text(control_log)), "the control job's progress line")
            finally:
                self.stop(control)
                for _, (p, _, _) in started:
                    self.stop(p)
        return {d: log for d, (_, log, _) in started}

    @open_mpi_only
    def test_live_line_on_a_terminal_under_mpirun(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d)
            try:
                wait_for(lambda: self.LINE.search(self.text(log)), "the progress line on the terminal")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"\rhyperslice: 4/64 slices.*?\x1b\[K")  # redrawn, erased to the end
            # The line is erased before the interruption's message, which starts a line of its own.
            self.assertRegex(self.text(log), r"\r\x1b\[Khyperslice: interrupted by SIGTERM")

    @open_mpi_only
    def test_nothing_in_a_log_by_default_nor_when_asked(self):
        # A plain log (stdout and stderr into one file); the trap of the old rule -- mpirun's stdout on a
        # terminal, so every rank's stdout is a pty, while its stderr goes to a file; and a terminal with
        # --json, --no-progress or --quiet. Held together beside one control.
        with tempfile.TemporaryDirectory() as root:
            folders = {name: os.path.join(root, name) for name in ["log", "split", "json", "no-progress", "quiet"]}
            for f in folders.values():
                os.makedirs(f)
            err = os.path.join(folders["split"], "err.txt")
            logs = self.held_beside_a_watched_control({
                folders["log"]: dict(terminal=False), folders["split"]: dict(stderr_file=err),
                folders["json"]: dict(flags=["--json"]), folders["no-progress"]: dict(flags=["--no-progress"]),
                folders["quiet"]: dict(flags=["--quiet"])})
            logs[folders["split"]] = err
            for name, folder in folders.items():
                text = self.text(logs[folder])
                self.assertNotRegex(text, self.LINE, name)
                self.assertIn("holds 4 of 64 slices", text, name)  # it did run, and was stopped
            for name in ["log", "split"]:
                self.assert_no_control_codes(self.text(logs[folders[name]]), name)

    @open_mpi_only
    def test_plain_lines_on_a_dumb_terminal(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d, "--progress-every", "0.1", term="dumb")
            try:
                wait_for(lambda: len(self.LINE.findall(self.text(log))) >= 2, "two progress lines")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"hyperslice: progress: 4/64 slices.*\r?\n")
            self.assert_no_control_codes(self.text(log), "TERM=dumb")

    def test_forced_into_a_log_as_plain_lines(self):
        with tempfile.TemporaryDirectory() as d:
            p, log, _ = self.held(d, "--progress", "--progress-every", "0.1", terminal=False)
            try:
                wait_for(lambda: len(self.LINE.findall(self.text(log))) >= 2, "two forced progress lines")
            finally:
                self.stop(p)
            self.assertRegex(self.text(log), r"(?m)^hyperslice: progress: 4/64 slices, .*$")
            self.assert_no_control_codes(self.text(log), "--progress into a log")

    def test_progress_every_is_checked(self):
        p = mpirun(2, "run", "--terms", "1e6", "--progress-every", "0")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.strip().splitlines(),
                         ["hyperslice: error: --progress-every: expected seconds between 0 and 86400, got '0'"])


HELD_ARGS = ["run", "--terms", "64e6", "--slices", "64", "--quiet"]


def held_two_rank_job(d, args):
    """A 2-rank run checkpointing into d, held (HYPERSLICE_FAULT pause) once 4 slices are in: (mpirun, ckpt)."""
    ck = os.path.join(d, "run.ckpt")
    return start_held_job(launch(2) + [BIN] + list(args) + ["--checkpoint", ck, "--checkpoint-every", "0.05"],
                          ck, 4, dict(ENV, HYPERSLICE_FAULT=HOLD)), ck


class Faults(unittest.TestCase):
    @open_mpi_only
    def test_sigterm_flushes_the_checkpoint_and_resume_finishes(self):
        args = ["run", "--kernel", "leibniz-paired", "--terms", "64e6", "--slices", "64", "--quiet"]
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, args)
            p.send_signal(signal.SIGTERM)  # mpirun forwards it to every rank
            out, err = p.communicate(timeout=60)
            self.assertNotEqual(p.returncode, 0)
            ours = [l for l in err.splitlines() if l.startswith("hyperslice: ")]
            # Open MPI's mpirun sends its ranks its own SIGTERM, and rank 0 says who sent it; Hydra's proxy
            # passes the signal on.
            by = "SIGTERM" if HYDRA else FROM_MPIRUN
            self.assertEqual(ours, [f"hyperslice: interrupted by {by}: checkpoint '{ck}' holds 4 of 64 slices; "
                                    "rerun with --resume to finish"], err)
            self.assertFalse(os.path.exists(ck + ".lock"), "the lock is released")
            resumed = mpirun(2, *args, "--json", "--checkpoint", ck, "--resume")
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual(r["resumed_slices"], 4)
            self.assertEqual(r["pi_hex"], json.loads(mpirun(2, *args, "--json").stdout)["pi_hex"])

    @open_mpi_only
    def test_sigint_to_mpirun_is_reported_as_what_the_ranks_receive(self):
        # Ctrl-C (SIGINT) to mpirun: Open MPI 4.1 stops its ranks with SIGTERM and exits 1 itself. The
        # ranks cannot know it was a SIGINT, so the line names the SIGTERM and its sender, not a guess.
        args = HELD_ARGS
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, args)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 1, err)  # mpirun's own status after it stops a job (docs/hardening.md)
            self.assertIn(f"hyperslice: interrupted by {FROM_MPIRUN}: checkpoint '{ck}' holds 4 of 64 slices", err)
            # No launcher in between: the process sees the SIGINT itself and exits 128 + 2.
            q = start_held_job([BIN] + args + ["--checkpoint", ck, "--resume", "--checkpoint-every", "0.05"],
                               ck, 6, dict(ENV, HYPERSLICE_FAULT="pause@0:3"))
            q.send_signal(signal.SIGINT)
            out, err = q.communicate(timeout=60)
            self.assertEqual(q.returncode, 128 + signal.SIGINT, err)
            self.assertIn(f"hyperslice: interrupted by SIGINT: checkpoint '{ck}' holds 6 of 64 slices", err)

    @open_mpi_only
    def test_sigterm_straight_to_the_ranks_as_a_batch_system_sends_it(self):
        # No mpirun in between (Slurm's scancel, a node's OOM killer warning): the ranks stop themselves.
        with tempfile.TemporaryDirectory() as d:
            p, ck = held_two_rank_job(d, HELD_ARGS)
            ranks = child_pids(p.pid)
            self.assertEqual(len(ranks), 2)
            for pid in ranks:
                os.kill(pid, signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
            self.assertIn("holds 4 of 64 slices; rerun with --resume to finish", err)
            self.assertEqual(done_count(ck), 4)

    @open_mpi_only
    def test_sigterm_under_the_hierarchical_schedule_resumes_to_the_same_bits(self):
        # 4 ranks in groups of 2: rank 0 serves rank 1, rank 2 leads rank 3. Every rank holds its third
        # slice, so 8 are in: rank 3's two reached rank 0 through its leader.
        args = ["run", "--terms", "64e6", "--slices", "64", "--quiet", "--threads", "1"]
        hier = ["--schedule", "hierarchical", "--group-size", "2"]
        with tempfile.TemporaryDirectory() as d:
            ck = os.path.join(d, "run.ckpt")
            p = start_held_job(launch(4) + [BIN] + args + hier +
                               ["--checkpoint", ck, "--checkpoint-every", "0.05"], ck, 8, dict(ENV, HYPERSLICE_FAULT=HOLD))
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            self.assertNotEqual(p.returncode, 0)
            ours = [l for l in err.splitlines() if l.startswith("hyperslice: ") and "oversubscribed" not in l]
            by = "SIGTERM" if HYDRA else FROM_MPIRUN
            self.assertEqual(ours, [f"hyperslice: interrupted by {by}: checkpoint '{ck}' holds 8 of 64 slices; "
                                    "rerun with --resume to finish"], err)
            resumed = mpirun(4, *args, *hier, "--json", "--checkpoint", ck, "--resume")
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            r = json.loads(resumed.stdout)
            self.assertEqual((r["resumed_slices"], r["groups"]), (8, 2))
            self.assertEqual(r["pi_hex"], json.loads(mpirun(1, *args, "--json").stdout)["pi_hex"])

    def test_silent_member_of_a_group_is_named_by_rank_0(self):
        self.fault("hang@3", "rank 3 on {host} has been silent for", code=3, np=4,
                   extra=["--schedule", "hierarchical", "--group-size", "2", "--threads", "1"])

    def fault(self, spec, needle, code=None, np=2, extra=()):
        p = mpirun(np, "run", "--terms", terms(2e8), "--quiet", "--fail-timeout", "3", *extra,
                   env=dict(ENV, HYPERSLICE_FAULT=spec), timeout=60)
        self.assertNotEqual(p.returncode, 0)
        if code is not None:
            self.assertEqual(p.returncode, code)
        ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: error: ")]
        self.assertEqual(len(ours), 1, p.stderr)
        self.assertIn(needle.format(host=os.uname().nodename), ours[0])

    def test_rank_that_throws(self):
        self.fault("throw@1", "rank 1 on {host}: injected fault", code=3)

    def test_rank_that_crashes(self):
        self.fault("segv@1", "rank 1 on {host} crashed on signal 11")

    def test_rank_that_hangs(self):
        self.fault("hang@1", "rank 1 on {host} has been silent for", code=3)


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


# Every rank exiting 2 makes Open MPI's mpirun run its kill sequence, with a 1 s sleep at each step
# (odls_base_sigkill_timeout; docs/hardening.md): 1.4 s a case instead of 0.4. Nothing is left to kill here.
FAST_EXIT = dict(ENV, OMPI_MCA_odls_base_sigkill_timeout="0")


class BadInput(unittest.TestCase):
    def expect_error(self, args, needle, np_=2, quiet=True):
        p = mpirun(np_, *args, quiet=quiet, env=FAST_EXIT)
        self.assertEqual(p.returncode, 2, f"{args}: rc={p.returncode} stderr={p.stderr!r}")
        ours = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: error: ")]
        self.assertEqual(len(ours), 1, f"{args}: {p.stderr!r}")
        self.assertIn(needle, ours[0])
        self.assertNotIn("MPI_ABORT", p.stderr)
        self.assertNotIn("Signal", p.stderr)
        if quiet:
            self.assertEqual(p.stderr.strip().splitlines(), ours, f"{args}: extra stderr {p.stderr!r}")
        self.assertEqual(p.stdout, "")

    def test_counts(self):
        self.expect_error(["run", "--terms", "-5"], "--terms: expected a positive integer, got '-5'")
        self.expect_error(["run", "--terms", "0"], "--terms: must be positive, got '0'")
        self.expect_error(["run", "--slices", "many"], "--slices: expected a positive integer, got 'many'")
        self.expect_error(["run", "--slice-size", "99999999999999999999999"], "is too large")
        self.expect_error(["run", "--terms", "1e16"], "at most 4503599627370496 (2^52)")
        self.expect_error(["run", "--terms", "10", "--slices", "11"], "slices 11 is more than terms 10")
        self.expect_error(["run", "--terms", "10", "--slices", "2", "--slice-size", "4"], "terms 10 != slices 2 x slice_size 4")
        self.expect_error(["run", "--threads", "0"], "--threads: must be positive")

    def test_missing_values_and_every_count_option(self):
        for opt in ["--terms", "--slices", "--slice-size", "--threads", "--kernel", "--schedule", "--isa", "--config",
                    "--checkpoint", "--checkpoint-every", "--fail-timeout"]:
            self.expect_error(["run", opt], opt)
        for opt in ["--terms", "--slices", "--slice-size", "--threads"]:
            self.expect_error(["run", opt, "-1"], f"{opt}: expected a positive integer, got '-1'")
            self.expect_error(["run", opt, "2.5"], f"{opt}: expected a positive integer, got '2.5'")
            self.expect_error(["run", opt, "0"], f"{opt}: must be positive, got '0'")
            self.expect_error(["run", opt, "1e40"], f"{opt}: '1e40' is too large")
        self.expect_error(["hello", "--synthetic", "x"], "--synthetic")
        self.expect_error(["topology", "--synthetic", "pack:1 core:1 pu:1", "--input", "x.xml"], "excludes")

    def test_names_and_options(self):
        self.expect_error(["run", "--kernel", "wallis"], "unknown kernel 'wallis'")
        self.expect_error(["run", "--kernel", "midpoint", "--verify"], "--verify checks the Leibniz kernels")
        self.expect_error(["run", "--schedule", "guided"], "unknown schedule 'guided'")
        self.expect_error(["run", "--isa", "avx1024"], "unknown ISA 'avx1024'")
        self.expect_error(["run", "--frobnicate"], "--frobnicate")
        self.expect_error(["fly"], "fly")

    def test_mistakes_get_our_words_not_cli11s(self):
        # The typo's nearest option, the subcommand that was left out, a stray value, an empty list item,
        # and each count in its own unit.
        cases = [
            (["run", "--term", "1e8"], "run: unknown option '--term'; did you mean --terms? (hyperslice run --help)"),
            (["hello", "--thread", "2"], "did you mean --threads?"),
            (["run", "--checkpoint-evry", "3"], "did you mean --checkpoint-every?"),
            (["run", "1e8"], "run: unexpected argument '1e8'"),
            (["--terms", "1e8"], "the subcommand comes first: hyperslice SUBCOMMAND [options], SUBCOMMAND one of "
                                 "run, hello, topology, bench; run takes --terms (hyperslice --help)"),
            ([], "a subcommand is needed: hyperslice SUBCOMMAND [options], SUBCOMMAND one of run, hello, topology, "
                 "bench (hyperslice --help)"),
            (["rnu"], "unknown subcommand 'rnu' (expected one of: run, hello, topology, bench; did you mean run?)"),
            (["bench", "--kernel", ","], "--kernel: expected kernel names separated by commas"),
            (["bench", "--kernel", "leibniz,"], "--kernel: expected kernel names separated by commas"),
            (["bench", "--repetitions", "5000"], "--repetitions: 5000 repetitions is more than 1000"),
            (["topology", "--recommend", "--ranks-per-node", "5000"],
             "--ranks-per-node: 5000 ranks per node is more than 4096"),
            (["run", "--threads", "5000"], "--threads: 5000 threads is more than 4096"),
        ]
        for args, needle in cases:
            with self.subTest(args):
                self.expect_error(args, needle)
        # Values that look like options are still values: --terms -5 is a bad count, not an unknown option.
        self.expect_error(["run", "--terms", "-5", "--no-verify"], "--terms: expected a positive integer, got '-5'")

    def test_config_files(self):
        with tempfile.TemporaryDirectory() as d:
            def cfg(name, text, mode="w"):
                path = os.path.join(d, name)
                with open(path, mode) as f:
                    f.write(text)
                return path
            self.expect_error(["run", "--config", os.path.join(d, "missing.toml")], "cannot read")
            self.expect_error(["run", "--config", cfg("bad.toml", "terms = = 1\n")], "malformed TOML")
            self.expect_error(["run", "--config", cfg("key.toml", "colour = 1\n")], "unknown key 'colour'")
            self.expect_error(["run", "--config", cfg("type.toml", "slices = \"50\"\n")], "slices: expected a positive integer")
            self.expect_error(["run", "--config", cfg("bin.toml", b"\x00\x01\x02", "wb")], "binary file")
            self.expect_error(["run", "--config", cfg("empty.toml", "")], "sets nothing")
            self.expect_error(["run", "--config", cfg("huge.toml", "# " + "x" * (2 << 20) + "\n")], "over 1 MiB")
            self.expect_error(["run", "--config", cfg("neg.toml", "threads = -1\n")], "threads: must be positive")
            self.expect_error(["run", "--config", cfg("isa.toml", "isa = \"avx9\"\n")], "unknown ISA 'avx9'")
            self.expect_error(["run", "--config", cfg("pin.toml", "pin = \"yes\"\n")], "pin: expected true or false")
            self.expect_error(["run", "--config", d], "is a folder, not a file")

    def test_topology_inputs(self):
        self.expect_error(["topology", "--synthetic", "garbage"], "--synthetic: hwloc cannot use 'garbage'")
        self.expect_error(["topology", "--input", "/nonexistent/topo.xml"], "--input: cannot read '/nonexistent/topo.xml'")
        self.expect_error(["topology", "--synthetic", "pack:1 core:2 pu:1", "--recommend", "--ranks-per-node", "3"],
                          "--ranks-per-node 3: impossible on a host with 2 cores")
        self.expect_error(["topology", "--recommend", "--ranks-per-node", "lots"], "--ranks-per-node: expected a positive integer")
        self.expect_error(["topology", "--hostfile", "x"], "go with --recommend")
        self.expect_error(["topology", "--slurm"], "go with --recommend")
        self.expect_error(["topology", "--recommend", "--time", "10"], "--time goes with --slurm")
        self.expect_error(["topology", "--recommend", "--slurm", "--time", "1;reboot"],
                          "--time: expected a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S), got '1;reboot'")
        self.expect_error(["topology", "--recommend", "--nodes", "0"], "--nodes: must be positive")
        self.expect_error(["topology", "--recommend", "--nodes", "2", "--hostfile", "x"], "excludes")
        self.expect_error(["topology", "--recommend", "--hostfile", "/nonexistent/hosts"], "--hostfile: cannot read")
        self.expect_error(["hello", "--threads", "-2"], "--threads: expected a positive integer")

    def test_files_that_never_end_or_never_open_are_refused_at_once(self):
        # /dev/zero passes a size check (stat says 0 bytes); a FIFO with no writer blocks a plain open.
        with tempfile.TemporaryDirectory() as d:
            fifo = os.path.join(d, "fifo")
            os.mkfifo(fifo)
            for opt, args in [("--config", ["run"]), ("--checkpoint", ["run", "--resume"]), ("--input", ["topology"]),
                              ("--hostfile", ["topology", "--recommend"])]:
                self.expect_error(args + [opt, "/dev/zero"], "'/dev/zero' is a character device")
                self.expect_error(args + [opt, fifo], f"'{fifo}' is a FIFO")

    def test_huge_slice_counts_cost_no_memory(self):
        # 10^9 slices of 10^9 terms: 15,259 blocks, so all but 15,259 slices are empty and nobody is sent one.
        for sched in ["dynamic", "static"]:
            p = mpirun(2, "run", "--json", "--terms", "1e9", "--slices", "1e9", "--schedule", sched, "--threads", "1")
            self.assertEqual(p.returncode, 0, p.stderr)
            d = json.loads(p.stdout)
            self.assertEqual(sum(r["slices"] for r in d["per_rank"]), 15259)
            for r in d["per_rank"]:
                self.assertLess(r["max_rss_mb"], 100)
        small = json.loads(mpirun(2, "run", "--json", "--terms", "1e9", "--slices", "7").stdout)
        self.assertEqual(d["pi_hex"], small["pi_hex"])

    def test_plain_mpirun_still_one_line_from_us_and_no_abort(self):
        # Without -q, Open MPI adds its own notice that a process exited non-zero; ours stays one line.
        self.expect_error(["run", "--terms", "-1"], "--terms", np_=3, quiet=False)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])  # optional: test class names
