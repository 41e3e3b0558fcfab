// The command line of hyperslice, built once (cli/app.hpp), and the look at argv before CLI11 parses it.
#include "cli/app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

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
  run->get_option("--verify")->excludes("--no-verify");
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
      ->type_name(engine::kernel_names("|") + "[,...]");
  bench->add_option("--min-time", a.min_time, "Seconds each repetition lasts at least [default: 0.05]")
      ->type_name("SEC");
  bench->add_option("--repetitions", a.repetitions, "Repetitions per value, after calibration [default: 5]")
      ->type_name("N");
  bench->add_flag("--no-links", a.no_links, "Skip the MPI latency and bandwidth check");
  bench->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/bench.schema.json)");
}

void add_check(CLI::App& app, Args& a) {
  auto* check = app.add_subcommand(
      "check", "Accept or reject the cluster: each node's placement, cores, memory, links and exact sums against its peers");
  check->add_option("--only", a.check_stages, "Stages to run, comma-separated [default: all]")
      ->type_name("placement|compute|memory|links|bits[,...]");
  check->add_option("--tolerance", a.tolerance,
                    "A core, node or link this fraction below its peers' median fails; with --baseline, the lower "
                    "bound of every throughput [default: 0.15]")
      ->type_name("F");
  check->add_option("--baseline", a.baseline, "Judge each metric against an earlier check's JSON, within its bounds")
      ->type_name("FILE");
  check->add_option("--save-baseline", a.save_baseline, "Write this check's JSON to FILE as a baseline (unless it fails)")
      ->type_name("FILE");
  check->add_option("--expect", a.expect,
                    "The layout the job must have: recommend (topology --recommend's for each host) or "
                    "nodes=N,ranks-per-node=N,cores-per-rank=N (any of them)")
      ->type_name("LAYOUT");
  check->add_flag("--quick", a.quick, "The same stages in a fraction of the time: 0.01 s repetitions, 3 memory "
                                     "passes, at most 8 steps of the links pattern");
  check->add_flag("--node", a.node, "Check this node from one process, one pinned thread per core, without mpirun "
                                   "(placement, compute, memory, bits): Slurm's HealthCheckProgram");
  check->add_flag("--drain", a.drain, "With --node: drain this Slurm node when it fails (Reason \"hyperslice: ...\"), "
                                     "resume it when it passes and the drain was hyperslice's; exit 0 once done");
  check->add_option("--html", a.html, "Also draw the report into FILE: one self-contained HTML page (docs/report.md)")
      ->type_name("FILE");
  check->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/check.schema.json)");
}

void add_compare(CLI::App& app, Args& a) {
  auto* compare = app.add_subcommand(
      "compare", "Compare two checks' JSON: each metric's change and its significance (Mann-Whitney U)");
  compare->add_option("before", a.compare_before, "The earlier check's JSON (--json output or --save-baseline file)")
      ->required()
      ->type_name("OLD.json");
  compare->add_option("after", a.compare_after, "The later check's JSON")->required()->type_name("NEW.json");
  compare->add_option("--tolerance", a.tolerance,
                      "A metric worse by more than this fraction, significantly, regressed [default: 0.15]")
      ->type_name("F");
  compare->add_option("--alpha", a.alpha, "The significance level of the test [default: 0.05]")->type_name("P");
  compare->add_flag("--json", a.json, "Print one JSON object on stdout (docs/schema/compare.schema.json)");
}

void add_report(CLI::App& app, Args& a) {
  auto* report = app.add_subcommand(
      "report", "Draw saved results as one self-contained HTML page: the verdict, each host's topology with its ranks, "
                "bars, link heatmaps, scaling plots");
  report->add_option("files", a.report_files,
                     "JSON that hyperslice wrote: check (--json or --save-baseline), bench, topology or hello --json, "
                     "a sweep's results.json; drawn in this order")
      ->required()
      ->type_name("FILE.json...");
  report->add_option("--html", a.html, "Write the page to OUT (- for stdout)")->required()->type_name("OUT");
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The long names of a subcommand's options, --help and --version included.
std::vector<std::string> long_names(const CLI::App& sub) {
  std::vector<std::string> out;
  for (const auto* opt : sub.get_options())
    for (const auto& name : opt->get_lnames()) out.push_back("--" + name);
  return out;
}

// The nearest name to `word` ("" if none is near): the fewest edits, within 2; a name that is a prefix of
// the word or has it as a prefix counts as 2.5 edits, so it is offered only when nothing is closer.
std::string nearest(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  double best_score = 3;
  for (const auto& n : names) {
    const bool prefix = n.size() > 3 && word.size() > 3 && (n.rfind(word, 0) == 0 || word.rfind(n, 0) == 0);
    const double d = static_cast<double>(edit_distance(word, n));
    const double score = prefix ? std::min(d, 2.5) : d;
    if (score < best_score) {
      best_score = score;
      best = n;
    }
  }
  return best;
}

std::string subcommand_names(const CLI::App& app) {
  std::string names;
  for (const auto* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

}  // namespace

std::string misuse_of(const CLI::App& app, const std::vector<std::string>& argv) {
  const std::string names = subcommand_names(app);
  if (argv.size() < 2)
    return fmt::format("a subcommand is needed: hyperslice SUBCOMMAND [options], SUBCOMMAND one of {} "
                       "(hyperslice --help)", names);
  const std::string& first = argv[1];
  if (first.rfind('-', 0) == 0) {
    const std::string flag = first.substr(0, first.find('='));
    if (app.get_option_no_throw(flag) != nullptr) return "";  // --help, --version
    std::string having;
    for (const auto* sub : app.get_subcommands({}))
      if (sub->get_option_no_throw(flag) != nullptr) having += (having.empty() ? "" : " or ") + sub->get_name();
    return fmt::format("the subcommand comes first: hyperslice SUBCOMMAND [options], SUBCOMMAND one of {}{} "
                       "(hyperslice --help)",
                       names, having.empty() ? "" : fmt::format("; {} takes {}", having, flag));
  }
  const CLI::App* sub = nullptr;
  for (const auto* s : app.get_subcommands({}))
    if (s->get_name() == first) sub = s;
  if (sub == nullptr) {
    std::vector<std::string> subs;
    for (const auto* s : app.get_subcommands({})) subs.push_back(s->get_name());
    const std::string near = nearest(first, subs);
    return fmt::format("unknown subcommand '{}' (expected one of: {}{})", first, names,
                       near.empty() ? "" : "; did you mean " + near + "?");
  }
  const auto ops = sub->get_options();
  const bool takes_words = std::any_of(ops.begin(), ops.end(), [](const CLI::Option* o) { return o->get_positional(); });
  for (std::size_t i = 2; i < argv.size(); ++i) {
    const std::string& w = argv[i];
    if (w == "--") break;
    if (w.rfind("--", 0) != 0 && takes_words && w.rfind('-', 0) != 0) continue;  // compare's files
    if (w.rfind("--", 0) != 0) {
      if (w.rfind('-', 0) == 0 && w.size() > 1 && !std::isdigit(static_cast<unsigned char>(w[1])) &&
          sub->get_option_no_throw(w) == nullptr)
        return fmt::format("{}: unknown option '{}' (options are long: --name; hyperslice {} --help)", first, w, first);
      return fmt::format("{}: unexpected argument '{}': every value follows its option, as in --terms 1e8 "
                         "(hyperslice {} --help)", first, w, first);
    }
    const std::string flag = w.substr(0, w.find('='));
    const CLI::Option* opt = sub->get_option_no_throw(flag);
    if (opt == nullptr) {
      const std::string near = nearest(flag, long_names(*sub));
      return fmt::format("{}: unknown option '{}'{} (hyperslice {} --help)", first, flag,
                         near.empty() ? "" : "; did you mean " + near + "?", first);
    }
    if (opt->get_expected_min() > 0 && w.find('=') == std::string::npos) ++i;  // its value, whatever it says
  }
  return "";
}

void build_app(CLI::App& app, Args& args, std::function<std::string()> version_text) {
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text, "Print the version, the build and the MPI and hwloc libraries");
  add_run(app, args);
  add_hello(app, args);
  add_topology(app, args);
  add_bench(app, args);
  add_check(app, args);
  add_compare(app, args);
  add_report(app, args);
  for (auto* sub : app.get_subcommands({})) sub->set_version_flag("--version", version_text, "As hyperslice --version");
}

}  // namespace hs::cli
