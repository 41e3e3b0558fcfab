#include "cli/app.hpp"

#include <fmt/format.h>

namespace hs::cli {
namespace {

void add_run(CLI::App& app, Args& a) {
  auto* run =
      app.add_subcommand("run", "Compute pi from a series, sliced over MPI ranks, OpenMP threads and SIMD lanes");
  const auto& table = engine::run_settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& s = table[i];
    std::string help(s.help);
    if (!s.default_text.empty()) help += fmt::format(" [default: {}]", s.default_text);
    if (!s.key.empty())
      help += fmt::format(" (TOML: {}{})", s.key, s.toml == engine::TomlType::boolean ? " = true|false" : "");
    if (s.value_name.empty())
      run->add_flag(std::string(s.flag), a.run_flags[i], help);
    else
      run->add_option(std::string(s.flag), a.run_values[i], help)->type_name(s.value_name);
  }
  run->add_option("--config", a.config, "TOML run config; command-line options override its values key by key")
      ->type_name("FILE");
  run->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/run.schema.json)");
  auto* progress = run->add_flag(
      "--progress", a.progress,
      "Show progress (rank 0, on stderr) wherever stderr goes: the live line on a terminal, else plain lines");
  auto* no_progress = run->add_flag(
      "--no-progress", a.no_progress,
      "No progress [default: a live line past 2 s when the job's stderr -- under mpirun, mpirun's -- is a "
      "terminal that takes control codes (TERM not dumb), plain lines on a dumb one, nothing in a log or with --json]");
  progress->excludes(no_progress);
  run->add_flag("--quiet", a.quiet, "The same as --no-progress")->excludes(progress);
  run->add_option("--progress-every", a.progress_every,
                  "Seconds between plain progress lines (logs with --progress, dumb terminals) [default: 60]")
      ->type_name("SEC")
      ->excludes(no_progress);
  run->footer(engine::run_environment_help());
}

void add_hello(CLI::App& app, Args& a) {
  auto* hello = app.add_subcommand("hello", "The seed's hello world per rank, then where every rank and thread runs");
  hello->add_option("--threads", a.threads, "OpenMP threads per rank [default: as for run]")->type_name("T");
  hello->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/hello.schema.json)");
  hello->add_flag("--no-pin", a.no_pin, "Do not pin threads (show where the OS and OpenMP put them)");
}

void add_topology(CLI::App& app, Args& a) {
  auto* topo = app.add_subcommand("topology", "Each host's hardware (hwloc), ranks per host, and layout advice");
  topo->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/topology.schema.json)");
  auto* syn =
      topo->add_option("--synthetic", a.synthetic,
                       "An hwloc synthetic topology instead of this host's, e.g. \"pack:2 numa:2 core:8 pu:2\"")
          ->type_name("DESCRIPTION");
  topo->add_option("--input", a.input, "An hwloc XML topology file (lstopo --of xml) instead of this host's")
      ->type_name("FILE")
      ->excludes(syn);
  topo->add_flag("--recommend", a.recommend, "Recommend a ranks x threads layout and the mpirun line for it");
  topo->add_option("--hostfile", a.hostfile, "With --recommend: an Open MPI hostfile (host slots=N) or Hydra machinefile (host:N); the layout covers its nodes")
      ->type_name("FILE");
  topo->add_option("--ranks-per-node", a.ranks_per_node, "With --recommend: auto (default) or a number")
      ->type_name("auto|N");
  topo->add_flag("--smt", a.smt, "With --recommend: use SMT hardware threads, not just cores");
  topo->add_option("--nodes", a.nodes, "With --recommend: the layout covers N nodes like this one [default: the hostfile's, else 1]")
      ->type_name("N")
      ->excludes("--hostfile");
  topo->add_flag("--slurm", a.slurm,
                 "With --recommend: print a Slurm batch script (#SBATCH lines, OpenMP settings, srun line) for the layout");
  topo->add_option("--time", a.time_limit, "With --slurm: the job's time limit, as sbatch --time takes it [default: 01:00:00]")
      ->type_name("TIME");
}

void add_bench(CLI::App& app, Args& a) {
  auto* bench = app.add_subcommand(
      "bench", "Measure every rank's core (kernels against their ceilings) and the MPI links from rank 0; compare");
  bench->add_option("--kernel", a.bench_kernels, "Kernels to measure, comma-separated [default: all]")
      ->type_name(engine::kernel_names("|"))
      ->delimiter(',');
  bench->add_option("--min-time", a.min_time, "Seconds each repetition lasts at least [default: 0.05]")
      ->type_name("SEC");
  bench->add_option("--repetitions", a.repetitions, "Repetitions per value, after calibration [default: 5]")
      ->type_name("N");
  bench->add_flag("--no-links", a.no_links, "Skip the MPI latency and bandwidth check");
  bench->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/bench.schema.json)");
}

}  // namespace

void build_app(CLI::App& app, Args& args, std::function<std::string()> version_text) {
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text, "Print the version, the build and the MPI and hwloc libraries");
  add_run(app, args);
  add_hello(app, args);
  add_topology(app, args);
  add_bench(app, args);
  for (auto* sub : app.get_subcommands({})) sub->set_version_flag("--version", version_text, "As hyperslice --version");
}

}  // namespace hs::cli
