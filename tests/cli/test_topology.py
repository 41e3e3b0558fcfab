#!/usr/bin/python3
"""cli.Topology: the hyperslice executable under mpirun (tests/cli/cli_common.py has the set-up).
Run by ctest as: test_topology.py <path to hyperslice> <repo root>"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cli_common import HYDRA, ROOT, mpirun  # noqa: E402


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


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
