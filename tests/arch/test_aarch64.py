"""The aarch64 build beside the x86-64 one (ctest label aarch64, the aarch64 preset; docs/arm.md): one MPI
job of an x86-64 rank and an aarch64 rank under qemu-user gives the bits of an x86-only job; hello names
each rank's architecture and ISA; bench names the emulated rank as the slow one; a 3-node virtual cluster
with one aarch64 node gives the same bits; and cpack makes an arm64 Debian package whose control fields
say so.

Usage: test_aarch64.py <aarch64 hyperslice> <repo root> <x86-64 hyperslice> <aarch64 build folder> [class]"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import harness  # noqa: E402

ARM, ROOT = harness.binary_and_root("build/aarch64/cli/hyperslice", absolute=True)
X86 = os.path.abspath(sys.argv[3] if len(sys.argv) > 3 else "build/release/cli/hyperslice")
BUILD = os.path.abspath(sys.argv[4] if len(sys.argv) > 4 else "build/aarch64")
SYSROOT = os.environ.get("QEMU_LD_PREFIX", os.path.join(ROOT, "build/sysroot-arm64"))
ENV = harness.mpi_env(OMPI_MCA_rmaps_base_oversubscribe="1", QEMU_LD_PREFIX=SYSROOT)
# qemu-user has no process_vm_readv (ENOSYS): Open MPI's shared-memory transport must copy through its
# buffers instead of reading the peer's memory directly (docs/arm.md).
MPIRUN = ["mpirun", "-x", "QEMU_LD_PREFIX", "--mca", "btl_vader_single_copy_mechanism", "none"]


def run(cmd, timeout=300):
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=timeout, stdin=subprocess.DEVNULL)


def mixed(args, x86_ranks=1, arm_ranks=1):
    """One job, `x86_ranks` ranks of the x86-64 program then `arm_ranks` of the aarch64 one."""
    return run(MPIRUN + ["-np", str(x86_ranks), X86, *args, ":", "-np", str(arm_ranks), ARM, *args])


class MixedJob(unittest.TestCase):
    def test_the_programs_are_what_their_names_say(self):
        for path, machine in ((ARM, "ARM aarch64"), (X86, "x86-64")):
            self.assertIn(machine, run(["file", "-L", path]).stdout, path)

    def test_a_mixed_job_gives_the_bits_of_an_x86_job(self):
        # Uneven slices, a tail that is not a whole block, every kernel: the lanes, blocks and every
        # operation's order are the same on both architectures, so the correctly rounded sum is too.
        for kernel in ("leibniz-grouped", "leibniz", "midpoint"):
            with self.subTest(kernel):
                args = ["run", "--kernel", kernel, "--terms", "3000017", "--slices", "7", "--threads", "1", "--json"]
                alone = run(MPIRUN + ["-np", "2", X86, *args])
                both = mixed(args)
                self.assertEqual(alone.returncode, 0, alone.stderr)
                self.assertEqual(both.returncode, 0, both.stderr)
                a, b = json.loads(alone.stdout), json.loads(both.stdout)
                self.assertEqual(b["pi_hex"], a["pi_hex"])
                self.assertEqual(b["isa"], "mixed")
                self.assertEqual([r["isa"] for r in b["per_rank"]][1], "neon")
                harness.validate(b, "run")

    def test_the_aarch64_program_alone_sums_exactly_on_each_of_its_isas(self):
        for isa in ("scalar", "neon"):
            with self.subTest(isa):
                p = run([ARM, "run", "--terms", "1000003", "--slices", "3", "--isa", isa, "--verify", "--json"])
                self.assertEqual(p.returncode, 0, p.stderr)
                d = json.loads(p.stdout)
                self.assertEqual(d["verify"]["ulps"], 0, d["verify"])
                self.assertEqual(d["pi_hex"], d["verify"]["exact_hex"])

    def test_hello_names_each_ranks_architecture(self):
        p = mixed(["hello", "--json"])
        self.assertEqual(p.returncode, 0, p.stderr)
        d = harness.validate(json.loads(p.stdout), "hello")
        self.assertEqual([(r["arch"], r["isa"]) for r in d["per_rank"]][1], ("aarch64", "neon"))
        self.assertEqual(d["per_rank"][0]["arch"], "x86_64")
        text = mixed(["hello"])
        self.assertRegex(text.stdout, r"(?m)^\s+1\s+0\s+\S+\s+aarch64\s+neon\s")
        self.assertRegex(text.stdout, r"(?m)^\s+0\s+0\s+\S+\s+x86_64\s+\w+\s")

    def test_an_x86_rank_asked_for_neon_is_one_clear_error(self):
        p = mixed(["run", "--terms", "1e6", "--isa", "neon"])
        self.assertEqual(p.returncode, 2, p.stderr)
        errors = [l for l in p.stderr.splitlines() if l.startswith("hyperslice: error:")]
        self.assertEqual(len(errors), 1, p.stderr)
        self.assertIn("neon", errors[0])
        self.assertNotRegex(p.stderr, r"MPI_ABORT|Read -1")

    def test_bench_names_the_emulated_rank_as_slow(self):
        p = mixed(["bench", "--min-time", "0.02", "--repetitions", "3", "--no-links", "--json"])
        self.assertEqual(p.returncode, 0, p.stderr)
        d = harness.validate(json.loads(p.stdout), "bench")
        arm = d["per_rank"][1]
        self.assertEqual({x["isa"] for x in arm["results"]}, {"scalar", "neon"})
        self.assertNotIn("neon", {x["isa"] for x in d["per_rank"][0]["results"]})
        # The warning names rank 1 (qemu translates every instruction: tens of times slower).
        self.assertRegex(p.stderr, r"(?m)^hyperslice: warning: rank 1 on \S+: best .* below rank 0")


class VirtualCluster(unittest.TestCase):
    """3 virtual nodes (scripts/virtual-cluster), node3 an aarch64 one: a bare `hyperslice` runs each
    node's own build, and the 3-node sum has the bits of the x86-only job."""

    VC = os.path.join(ROOT, "scripts/virtual-cluster")
    VC_ENV = dict(ENV, HYPERSLICE_VC_STATE="/run/hyperslice-vc-arm")

    @classmethod
    def vc(cls, *args, check=True, timeout=300):
        p = subprocess.run([cls.VC, *args], capture_output=True, text=True, env=cls.VC_ENV, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"virtual-cluster {' '.join(args)} failed: {p.stderr}")
        return p

    @classmethod
    def setUpClass(cls):
        cls.vc("down", check=False)
        cls.up = cls.vc("up", "3", "--aarch64", "node3")

    @classmethod
    def tearDownClass(cls):
        cls.vc("down", check=False)

    def test_node3_runs_the_aarch64_build_and_the_bits_are_the_same(self):
        self.assertIn("node3 is an aarch64 node", self.up.stdout)
        hello = self.vc("mpirun", "-np", "3", "hyperslice", "hello", "--threads", "1", "--json")
        d = json.loads(hello.stdout)
        self.assertEqual([(r["host"], r["arch"]) for r in d["per_rank"]],
                         [("node1", "x86_64"), ("node2", "x86_64"), ("node3", "aarch64")])
        args = ["run", "--terms", "4000037", "--slices", "9", "--threads", "1", "--no-pin", "--json"]
        three = json.loads(self.vc("mpirun", "-np", "3", "hyperslice", *args).stdout)
        alone = run([X86, *args])
        self.assertEqual(alone.returncode, 0, alone.stderr)
        self.assertEqual(three["pi_hex"], json.loads(alone.stdout)["pi_hex"])
        self.assertEqual([r["isa"] for r in three["per_rank"]][2], "neon")
        self.assertEqual(three["isa"], "mixed")


class DebianPackage(unittest.TestCase):
    def test_cpack_makes_an_arm64_package_with_arm64_dependencies(self):
        with tempfile.TemporaryDirectory() as out:
            p = subprocess.run(["cpack", "-G", "DEB", "-B", out], cwd=BUILD, capture_output=True, text=True,
                               timeout=600)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            debs = sorted(f for f in os.listdir(out) if f.endswith(".deb"))
            self.assertEqual([re.sub(r"_[0-9.]+_", "_V_", f) for f in debs],
                             ["hyperslice-dev_V_arm64.deb", "hyperslice_V_arm64.deb"], debs)
            deb = os.path.join(out, debs[1])
            field = lambda name: subprocess.run(["dpkg-deb", "-f", deb, name], capture_output=True,
                                                text=True).stdout.strip()
            self.assertEqual(field("Architecture"), "arm64")
            depends = {d.split()[0] for d in field("Depends").split(", ")}
            # Every library the aarch64 binary needs comes from a package it depends on: the package that
            # ships the same library on this x86-64 machine (names are the same on every architecture).
            needed = re.findall(r"\(NEEDED\).*\[(.+)\]", run(["aarch64-linux-gnu-readelf", "-d", ARM]).stdout)
            self.assertIn("libmpi.so.40", needed)
            for soname in needed:
                owner = run(["dpkg", "-S", f"/usr/lib/x86_64-linux-gnu/{soname}"])
                if owner.returncode != 0:
                    owner = run(["dpkg", "-S", f"/lib/x86_64-linux-gnu/{soname}"])
                package = owner.stdout.split(":")[0]
                self.assertIn(package, depends, f"{soname} ({package}) is not in Depends: {sorted(depends)}")
            self.assertIn("openmpi-bin", depends)
            listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
            self.assertRegex(listing, r"\./usr/bin/hyperslice\n")
            extract = os.path.join(out, "x")
            subprocess.run(["dpkg-deb", "-x", deb, extract], check=True)
            self.assertIn("ARM aarch64", run(["file", os.path.join(extract, "usr/bin/hyperslice")]).stdout)


if __name__ == "__main__":
    chosen = sys.argv[5:6]
    if chosen == ["VirtualCluster"] and harness.namespaces_missing():
        print(f"skipped: {harness.namespaces_missing()}")  # ctest's SKIP_RETURN_CODE, as the cluster tests
        sys.exit(77)
    unittest.main(argv=sys.argv[:1] + chosen, verbosity=2)
