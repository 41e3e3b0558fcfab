#!/usr/bin/python3
"""hyperslice as a user installs it: `cmake --install` to a temporary prefix, then the installed binary
runs the demo config under mpirun and prints its version, the man pages render with `man -l` and list
every option --help lists, the bash completion loads and completes, hyperslice-sweep finds the installed
binary, a consumer project links hyperslice::kernels and hyperslice::engine, and `cpack -G DEB` makes the
packages with the right files and dependencies.

Run by ctest as: test_install.py <build dir> <source root>
"""
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import binary_and_root, mpi_env, validate  # noqa: E402

BUILD, ROOT = binary_and_root("build/release", absolute=True)
ENV = mpi_env(OMPI_MCA_rmaps_base_oversubscribe="1")
SEED_PI_HEX = "0x1.921fb5337bd9ep+1"  # configs/default.toml: 128 slices x 1,000,000 terms
SUBCOMMANDS = ["run", "hello", "topology", "bench", "check", "compare", "report"]


def run(cmd, **kw):
    kw.setdefault("env", ENV)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hyperslice-install-")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        p = run(["cmake", "--install", BUILD, "--prefix", cls.prefix])
        assert p.returncode == 0, p.stdout + p.stderr
        cls.bin = os.path.join(cls.prefix, "bin", "hyperslice")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_layout(self):
        for path in ["bin/hyperslice", "bin/hyperslice-sweep", "share/hyperslice/configs/default.toml",
                     "share/hyperslice/configs/hostfile.example",
                     "share/hyperslice/configs/slurm/hyperslice-requeue.sbatch",
                     "share/hyperslice/configs/slurm/hyperslice-healthcheck", "share/doc/hyperslice/README.md",
                     "share/doc/hyperslice/docs/schema/run.schema.json", "share/man/man1/hyperslice.1.gz",
                     "share/man/man1/hyperslice-sweep.1.gz", "share/bash-completion/completions/hyperslice",
                     "share/bash-completion/completions/hyperslice-sweep", "share/doc/hyperslice/copyright",
                     "share/doc/hyperslice/changelog.gz", "share/modulefiles/hyperslice/0.1.0.lua",
                     "lib/cmake/hyperslice/hyperslice-config.cmake",
                     "lib/cmake/hyperslice/hyperslice-config-version.cmake", "include/hyperslice/kernels/series.hpp"]:
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, path)), path)
        for sub in SUBCOMMANDS:
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, f"share/man/man1/hyperslice-{sub}.1.gz")), sub)
        self.assertTrue(os.access(os.path.join(self.prefix, "bin/hyperslice-sweep"), os.X_OK))

    def test_installed_readme_and_docs_links_resolve(self):
        # Every relative link of the installed README and docs pages leads to an installed file, but the
        # README's one into the source tree's bench/results/ (recordings are not installed).
        docdir = os.path.join(self.prefix, "share/doc/hyperslice")
        pages = [os.path.join(docdir, "README.md")] + glob.glob(os.path.join(docdir, "docs/*.md"))
        checked = 0
        for page in pages:
            with open(page) as f:
                text = f.read()
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
                if re.match(r"^[a-z]+:", target) or target.startswith("bench/"):
                    continue
                checked += 1
                self.assertTrue(os.path.exists(os.path.join(os.path.dirname(page), target)),
                                f"{os.path.relpath(page, docdir)}: {target}")
        self.assertGreater(checked, 20)

    def test_version(self):
        p = run([self.bin, "--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.splitlines()[0], r"^hyperslice \d+\.\d+\.\d+")

    def test_demo_config_under_mpirun(self):
        p = run(["mpirun", "-q", "-np", "2", self.bin, "run", "--json", "--config",
                 os.path.join(self.prefix, "share/hyperslice/configs/default.toml")])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(validate(json.loads(p.stdout), "run")["pi_hex"], SEED_PI_HEX)

    def man_text(self, page):
        m = run(["man", "-l", page], env=dict(ENV, MANWIDTH="200", LC_ALL="C", MAN_KEEP_FORMATTING=""))
        self.assertEqual(m.returncode, 0, m.stderr)
        self.assertEqual(m.stderr, "", page)  # groff says nothing: the roff is well formed
        return re.sub(r".\x08", "", m.stdout)  # overstrike bold/underline off

    def test_man_pages_name_the_installed_prefix_and_keep_their_quotes(self):
        # FILES and EXAMPLES name this prefix's files, and every example reads back as the command it is.
        text = self.man_text(os.path.join(self.prefix, "share/man/man1/hyperslice-run.1.gz"))
        self.assertIn(f"{self.prefix}/share/hyperslice/configs/default.toml", text)
        self.assertNotIn("/usr/share/hyperslice", text)
        topo = self.man_text(os.path.join(self.prefix, "share/man/man1/hyperslice-topology.1.gz"))
        self.assertIn('hyperslice topology --synthetic "pack:2 numa:2 core:16 pu:2" --recommend', topo)
        self.assertNotIn("/usr/share", self.man_text(os.path.join(self.prefix, "share/man/man1/hyperslice.1.gz")))

    def test_man_pages_render_and_list_every_option_of_help(self):
        for sub in [None] + SUBCOMMANDS:
            page = os.path.join(self.prefix, "share/man/man1", f"hyperslice{'-' + sub if sub else ''}.1.gz")
            m = run(["man", "-l", page], env=dict(ENV, MANWIDTH="200", LC_ALL="C", MAN_KEEP_FORMATTING=""))
            self.assertEqual(m.returncode, 0, m.stderr)
            self.assertEqual(m.stderr, "", page)  # groff says nothing: the roff is well formed
            text = re.sub(r".\x08", "", m.stdout)  # overstrike bold/underline off
            for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]:
                self.assertRegex(text, rf"(?m)^{section}$", f"{page}: {section}")
            helptext = run([self.bin] + ([sub] if sub else []) + ["--help"]).stdout
            help_opts = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", helptext.split("Environment:")[0]))
            man_opts = set(re.findall(r"(?m)^ {7}(?:-\w, )?(--[a-z][a-z-]*)", text))
            self.assertTrue(help_opts, helptext)
            self.assertEqual(man_opts, {o for o in help_opts if re.search(rf"(?m)^\s+(-\w,\s*)?{o}\b", helptext)}, page)

    def test_every_man_page_example_runs_as_printed(self):
        # Each EXAMPLES line of every installed page, split as a shell would and run with this prefix's bin
        # first on PATH, in a folder holding the hostfile they name (this host). A long one passes once it
        # has run for 3 s without an error line; then it is stopped (mpirun forwards the SIGTERM).
        pages = sorted(glob.glob(os.path.join(self.prefix, "share/man/man1/*.1.gz")))
        examples = []
        for page in pages:
            text = self.man_text(page)
            section = text.split("\nEXAMPLES\n", 1)[1].split("\nSEE ALSO\n", 1)[0]
            examples += [(page, l.strip()) for l in section.splitlines()
                         if re.match(r"^ {7}(mpirun|hyperslice)\b", l)]
        self.assertGreaterEqual(len(examples), 15, examples)
        work = os.path.join(self.tmp, "examples")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "hosts"), "w") as f:
            f.write("localhost slots=8\n")
        env = dict(ENV, PATH=os.path.join(self.prefix, "bin") + ":" + ENV["PATH"])
        for page, line in examples:
            with self.subTest(line):
                if "--replot local" in line and not os.path.isfile(os.path.join(work, "local/results.json")):
                    # It replots what the example before it writes, which the cap cut short: a small sweep first.
                    small = run(["hyperslice-sweep", "--ranks", "1", "--slices", "2", "--slice-size", "1000",
                                 "--repeat", "1", "--out", "local", "--force"], cwd=work, env=env)
                    self.assertEqual(small.returncode, 0, small.stderr)
                if re.search(r"\b(base|now)\.json\b", line) and not os.path.isfile(os.path.join(work, "now.json")):
                    # The baseline examples read what the one before them writes, which the cap cut short: a
                    # quick baseline and a check to compare with it first (1 s).
                    quick = ["hyperslice", "check", "--quick", "--only", "compute,bits"]
                    for extra, out_file in ((["--save-baseline", "base.json"], None), (["--json"], "now.json")):
                        q = run(quick + extra, cwd=work, env=env)
                        self.assertEqual(q.returncode, 0, q.stderr)
                        if out_file:
                            with open(os.path.join(work, out_file), "w") as f:
                                f.write(q.stdout)
                started = time.time()
                p = subprocess.Popen(shlex.split(line), cwd=work, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)
                try:
                    out, err = p.communicate(timeout=3)
                    print(f"  {time.time() - started:5.1f} s  {line}", file=sys.stderr)
                    # check and compare end in a verdict: exit 5 is a measured FAIL or regression (two runs
                    # of a shared VM may differ that much), not an example that fails to run; its report
                    # must be there and no error line.
                    verdicts = (0, 5) if re.search(r"hyperslice (check|compare)\b", line) else (0,)
                    self.assertIn(p.returncode, verdicts, f"{os.path.basename(page)}: {line}\n{err}")
                    self.assertNotRegex(err, r"(?m)^hyperslice: error:", line)
                    if p.returncode == 5:
                        self.assertRegex(out, r"(?m)^(check|compare): FAIL|\"status\": \"FAIL\"", line)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGTERM)
                    out, err = p.communicate(timeout=60)
                    self.assertNotRegex(err, r"(?m)^(hyperslice|sweep): error:|^mpirun.*(error|not enough)",
                                        f"{line}\n{err}")

    def test_sweep_has_a_man_page_completion_and_version(self):
        sweep = os.path.join(self.prefix, "bin/hyperslice-sweep")
        text = self.man_text(os.path.join(self.prefix, "share/man/man1/hyperslice-sweep.1.gz"))
        helptext = run([sweep, "--help"]).stdout
        help_opts = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", helptext.split("\n\n", 1)[0] + helptext.split("options:")[-1]))
        for option in help_opts | {"--replot"}:
            self.assertRegex(text, rf"(?m)^ {{7}}(-\w, )?{option}\b", option)
        self.assertIn("hyperslice-sweep --tune --terms 2e10 --out tune", text)
        v = run([sweep, "--version"])
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertEqual(v.stdout.splitlines()[0], "hyperslice-sweep, part of " + run([self.bin, "--version"]).stdout.splitlines()[0])
        script = os.path.join(self.prefix, "share/bash-completion/completions/hyperslice-sweep")
        p = run(["bash", "--norc", "-c", f"source {shlex.quote(script)} && COMP_WORDS=(hyperslice-sweep --sch) && "
                 'COMP_CWORD=1 && _hyperslice_sweep && printf "%s\\n" "${COMPREPLY[@]}" && '
                 "COMP_WORDS=(hyperslice-sweep --schedule '') && COMP_CWORD=2 && _hyperslice_sweep && "
                 'printf "%s\\n" "${COMPREPLY[@]}"'])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.split(), ["--schedule", "static", "dynamic", "hierarchical"])

    def test_lmod_module_puts_the_program_and_its_man_pages_on_the_paths(self):
        # Debian's lmod: `module use PREFIX/share/modulefiles; module load hyperslice`, in a clean shell.
        init = "/usr/share/lmod/lmod/init/bash"
        if not os.path.exists(init):
            self.skipTest("lmod is not installed (scripts/setup installs it)")
        modules = os.path.join(self.prefix, "share/modulefiles")
        env = {k: v for k, v in ENV.items() if not k.startswith(("LMOD", "MODULE", "_ModuleTable"))}
        env.update(PATH="/usr/bin:/bin", MANPATH="")
        p = run(["bash", "--norc", "--noprofile", "-c",
                 f"source {init} && module use {shlex.quote(modules)} && module load hyperslice && "
                 "command -v hyperslice && command -v hyperslice-sweep && man -w hyperslice-run && "
                 "module whatis hyperslice 2>&1 && module unload hyperslice && "
                 "(command -v hyperslice || echo gone)"], env=env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[:3], [self.bin, os.path.join(self.prefix, "bin/hyperslice-sweep"),
                                     os.path.join(self.prefix, "share/man/man1/hyperslice-run.1.gz")], p.stdout)
        self.assertIn("Version: 0.1.0", p.stdout)
        self.assertEqual(lines[-1], "gone")

    def test_bash_completion_loads_and_completes(self):
        script = os.path.join(self.prefix, "share/bash-completion/completions/hyperslice")

        def complete(*words):
            line = " ".join(shlex.quote(w) for w in words)
            p = run(["bash", "--norc", "-c", f"source {shlex.quote(script)} && complete -p hyperslice && "
                     f"COMP_WORDS=({line} '') && COMP_CWORD=${{#COMP_WORDS[@]}}-1 && _hyperslice && "
                     'printf "%s\\n" "${COMPREPLY[@]}"'])
            self.assertEqual(p.returncode, 0, p.stderr)
            lines = p.stdout.splitlines()
            self.assertEqual(lines[0], "complete -F _hyperslice hyperslice")
            return sorted(l for l in lines[1:] if l)  # printf prints one empty line for no words

        self.assertEqual(complete("hyperslice"), sorted(SUBCOMMANDS + ["--help", "--version"]))
        self.assertEqual(complete("hyperslice", "run", "--kernel"),
                         sorted(["leibniz", "leibniz-paired", "leibniz-grouped", "midpoint"]))
        self.assertIn("avx2", complete("hyperslice", "run", "--isa"))
        self.assertIn("--checkpoint-every", complete("hyperslice", "run"))
        self.assertIn("--recommend", complete("hyperslice", "topology"))
        self.assertEqual(complete("hyperslice", "run", "--terms"), [])

    def test_sweep_finds_the_installed_binary(self):
        out = os.path.join(self.tmp, "sweep")
        p = run([os.path.join(self.prefix, "bin/hyperslice-sweep"), "--ranks", "1", "--slices", "4", "--slice-size",
                 "1000", "--repeat", "1", "--out", out])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "results.json")) as f:
            d = validate(json.load(f), "sweep")
        self.assertIn(shlex.quote(self.bin), d["runs"][0]["command"])

    def test_consumer_project_links_the_cmake_package(self):
        src = os.path.join(ROOT, "tests/install/consumer")
        build = os.path.join(self.tmp, "consumer")
        p = run(["cmake", "-S", src, "-B", build, f"-DCMAKE_PREFIX_PATH={self.prefix}"])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = run(["cmake", "--build", build, "-j", "2"])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        pi = run([os.path.join(build, "pi_kernels"), "1000000"])
        self.assertEqual(pi.returncode, 0, pi.stderr)
        bits = {line.split()[1] for line in pi.stdout.splitlines()}
        ours = json.loads(run([self.bin, "run", "--json", "--terms", "1000000"]).stdout)["pi_hex"]
        self.assertEqual(bits, {ours})  # every ISA the CPU runs, the same bits as the program
        listed = run([os.path.join(build, "settings_list")])
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("--terms", listed.stdout.splitlines())


class DebianPackage(unittest.TestCase):
    def test_cpack_makes_runtime_and_dev_packages(self):
        with tempfile.TemporaryDirectory(prefix="hyperslice-deb-") as out:
            p = run(["cpack", "-G", "DEB", "-B", out], cwd=BUILD)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            deb = glob.glob(os.path.join(out, "hyperslice_*.deb"))
            dev = glob.glob(os.path.join(out, "hyperslice-dev_*.deb"))
            self.assertEqual((len(deb), len(dev)), (1, 1), os.listdir(out))
            files = run(["dpkg-deb", "-c", deb[0]]).stdout
            for path in ["./usr/bin/hyperslice", "./usr/bin/hyperslice-sweep", "./usr/share/man/man1/hyperslice-run.1.gz",
                         "./usr/share/man/man1/hyperslice-sweep.1.gz", "./usr/share/doc/hyperslice/copyright",
                         "./usr/share/doc/hyperslice/changelog.gz", "./usr/share/modulefiles/hyperslice/0.1.0.lua",
                         "./usr/share/bash-completion/completions/hyperslice", "./usr/share/hyperslice/configs/default.toml"]:
                self.assertRegex(files, rf"(?m) {re.escape(path)}$")
            self.assertNotIn("include/", files)
            self.assertIn("./usr/include/hyperslice/kernels/series.hpp", run(["dpkg-deb", "-c", dev[0]]).stdout)
            depends = run(["dpkg-deb", "-f", deb[0], "Depends"]).stdout
            for pkg in ["openmpi-bin", "libopenmpi3", "libhwloc15", "libmpfr6", "libgomp1"]:
                self.assertRegex(depends, rf"(^|, ){pkg}\b", depends)
            # Every dependency resolves on this system (a simulation: nothing is installed).
            sim = run(["apt-get", "install", "--simulate", "--no-install-recommends", deb[0]])
            self.assertEqual(sim.returncode, 0, sim.stdout + sim.stderr)
            self.assertRegex(sim.stdout, r"(?m)^Inst hyperslice ")
            # Unpacked, its binary runs.
            root = os.path.join(out, "root")
            self.assertEqual(run(["dpkg-deb", "-x", deb[0], root]).returncode, 0)
            v = run([os.path.join(root, "usr/bin/hyperslice"), "--version"])
            self.assertEqual(v.returncode, 0, v.stderr)
            # The man pages of the package name /usr, where it installs.
            page = run(["man", "-l", os.path.join(root, "usr/share/man/man1/hyperslice-run.1.gz")],
                       env=dict(ENV, MANWIDTH="200", LC_ALL="C"))
            self.assertIn("/usr/share/hyperslice/configs/default.toml", page.stdout)
            # Both packages lintian-clean: no error and no warning (each override carries its reason).
            for package in (deb[0], dev[0]):
                lint = run(["lintian", "--fail-on", "error,warning", "--no-tag-display-limit", package], timeout=600)
                self.assertEqual(lint.returncode, 0, f"{os.path.basename(package)}:\n{lint.stdout}{lint.stderr}")
            fields = {k: run(["dpkg-deb", "-f", deb[0], k]).stdout.strip() for k in ("Maintainer", "Description")}
            self.assertNotIn("localhost", fields["Maintainer"])
            self.assertGreater(len(fields["Description"].splitlines()), 2, fields["Description"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])  # optional: test class names
