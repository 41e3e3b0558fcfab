// hyperslice: the thin executable. Parses the command line (the same on every rank), calls the
// libraries, prints on rank 0. Input errors become one stderr line from rank 0 and exit 2 everywhere.
#include <mpi.h>
#include <unistd.h>

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "engine/config.hpp"
#include "engine/error.hpp"
#include "engine/report.hpp"
#include "engine/run.hpp"
#include "engine/settings.hpp"
#include "job/placement.hpp"
#include "job/survey.hpp"
#include "kernels/series.hpp"
#include "topology/error.hpp"
#include "topology/layout.hpp"
#include "topology/report.hpp"

namespace {

using hs::engine::InputError;

struct Args {
  // run: one value (or flag count) per entry of the settings table, plus what only the CLI has
  std::vector<std::string> run_values = std::vector<std::string>(hs::engine::run_settings().size());
  std::vector<int> run_flags = std::vector<int>(hs::engine::run_settings().size());
  std::string config, threads;
  bool json = false, quiet = false, no_pin = false;
  // topology
  std::string synthetic, input, hostfile, ranks_per_node = "auto";
  bool recommend = false, smt = false;
};

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int world_size() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

void print_warnings(const hs::topology::Survey& s) {
  for (const auto& p : s.pitfalls) std::fprintf(stderr, "hyperslice: warning: %s\n", p.message.c_str());
}

void add_run(CLI::App& app, Args& a) {
  auto* run =
      app.add_subcommand("run", "Compute pi from a series, sliced over MPI ranks, OpenMP threads and SIMD lanes");
  const auto& table = hs::engine::run_settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& s = table[i];
    std::string help(s.help);
    if (!s.default_text.empty()) help += fmt::format(" [default: {}]", s.default_text);
    if (!s.key.empty())
      help += fmt::format(" (TOML: {}{})", s.key, s.toml == hs::engine::TomlType::boolean ? " = true|false" : "");
    if (s.value_name.empty())
      run->add_flag(std::string(s.flag), a.run_flags[i], help);
    else
      run->add_option(std::string(s.flag), a.run_values[i], help)->type_name(s.value_name);
  }
  run->add_option("--config", a.config, "TOML run config; command-line options override its values key by key")
      ->type_name("FILE");
  run->add_flag("--json", a.json, "Print one JSON object on stdout");
  run->add_flag("--quiet", a.quiet, "No progress line");
  run->footer(hs::engine::run_environment_help());
}

void add_hello(CLI::App& app, Args& a) {
  auto* hello = app.add_subcommand("hello", "The seed's hello world per rank, then where every rank and thread runs");
  hello->add_option("--threads", a.threads, "OpenMP threads per rank [default: as for run]")->type_name("T");
  hello->add_flag("--json", a.json, "Print one JSON object on stdout");
  hello->add_flag("--no-pin", a.no_pin, "Do not pin threads (show where the OS and OpenMP put them)");
}

void add_topology(CLI::App& app, Args& a) {
  auto* topo = app.add_subcommand("topology", "Each host's hardware (hwloc), ranks per host, and layout advice");
  topo->add_flag("--json", a.json, "Print one JSON object on stdout");
  auto* syn =
      topo->add_option("--synthetic", a.synthetic,
                       "An hwloc synthetic topology instead of this host's, e.g. \"pack:2 numa:2 core:8 pu:2\"");
  topo->add_option("--input", a.input, "An hwloc XML topology file (lstopo --of xml) instead of this host's")
      ->excludes(syn);
  topo->add_flag("--recommend", a.recommend, "Recommend a ranks x threads layout and the mpirun line for it");
  topo->add_option("--hostfile", a.hostfile, "With --recommend: an Open MPI hostfile; the layout covers its nodes");
  topo->add_option("--ranks-per-node", a.ranks_per_node, "With --recommend: auto (default) or a number");
  topo->add_flag("--smt", a.smt, "With --recommend: use SMT hardware threads, not just cores");
}

int do_run(const CLI::App& run, const Args& a, int rank) {
  using namespace hs::engine;
  RunOptions cli;
  const auto& table = run_settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& setting = table[i];
    if (setting.value_name.empty()) {
      if (a.run_flags[i] > 0) setting.apply(cli, setting.flag, setting.flag_value);
    } else if (run.get_option(std::string(setting.flag))->count() > 0) {
      setting.apply(cli, setting.flag, a.run_values[i]);
    }
  }
  const RunOptions file = a.config.empty() ? RunOptions{} : read_config_file(a.config);
  const RunConfig config = resolve(file, cli);

  RunHooks hooks;
  hooks.on_start = print_warnings;
  if (rank == 0 && !a.quiet && !a.json && isatty(STDERR_FILENO)) {
    hooks.progress = [shown = false](const Progress& p) mutable {
      if (p.seconds < 2.0 && !shown) return;
      shown = true;
      const double frac = p.slices_total ? static_cast<double>(p.slices_done) / static_cast<double>(p.slices_total) : 0;
      const double eta = frac > 0 ? p.seconds * (1 - frac) / frac : 0;
      std::fprintf(stderr, "\rhyperslice: %llu/%llu slices done, %.0f s elapsed, ETA %.0f s   ",
                   static_cast<unsigned long long>(p.slices_done), static_cast<unsigned long long>(p.slices_total),
                   p.seconds, eta);
    };
  }
  const hs::topology::Machine machine = hs::topology::Machine::this_host();
  const RunResult r = run_pi(config, MPI_COMM_WORLD, machine, hooks);
  if (rank == 0) {
    if (hooks.progress) std::fprintf(stderr, "\r\033[K");
    if (a.json)
      std::cout << to_json(r).dump() << '\n';
    else
      std::cout << to_text(r);
    if (r.verification && r.verification->ulps > 1) {
      std::cout.flush();
      std::fprintf(stderr, "hyperslice: error: --verify: pi %s is %llu ulps from the exact partial sum %s (more than 1)\n",
                   hs::kernels::hex_double(r.pi).c_str(), static_cast<unsigned long long>(r.verification->ulps),
                   hs::kernels::hex_double(r.verification->exact).c_str());
      return hs::engine::kVerifyFailedExit;
    }
  }
  return 0;
}

hs::topology::Survey survey_this_job(const hs::topology::Machine& machine, const Args& a, bool threads_given) {
  const int threads =
      hs::job::resolve_threads(threads_given ? hs::engine::parse_threads("--threads", a.threads) : 0, machine);
  const auto pinner = hs::job::make_pinner(MPI_COMM_WORLD, machine, !a.no_pin, threads);
  return hs::job::survey_ranks(MPI_COMM_WORLD, *pinner,
                               {threads, threads_given, std::string(hs::kernels::name(hs::kernels::best_isa()))});
}

int do_hello(const CLI::App& hello, const Args& a, int rank) {
  const auto machine = hs::topology::Machine::this_host();
  const auto survey = survey_this_job(machine, a, hello.get_option("--threads")->count() > 0);
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << hs::topology::hello_json(survey, world_size()).dump() << '\n';
    else
      std::cout << hs::topology::hello_text(survey, world_size());
  }
  return 0;
}

int do_topology(const CLI::App& topo, const Args& a, int rank) {
  using namespace hs::topology;
  std::optional<LayoutRequest> request;
  if ((topo.get_option("--hostfile")->count() || topo.get_option("--ranks-per-node")->count() || a.smt) && !a.recommend)
    throw TopologyError("--hostfile, --ranks-per-node and --smt go with --recommend");
  if (a.recommend) {
    LayoutRequest req;
    req.smt = a.smt;
    if (a.ranks_per_node != "auto")
      req.ranks_per_node = hs::engine::parse_threads("--ranks-per-node", a.ranks_per_node);
    req.ranks_per_node_what = "--ranks-per-node";
    if (!a.hostfile.empty()) {
      req.hostfile = a.hostfile;
      req.hosts = read_hostfile(a.hostfile, "--hostfile");
    }
    request = req;
  }
  Survey survey;
  const bool loaded = !a.synthetic.empty() || !a.input.empty();
  std::optional<HostSummary> mine;  // what this rank checks the request against, so all agree on errors
  if (loaded) {
    // Every rank loads it, so every rank agrees on a bad description; rank 0 reports.
    const Machine m =
        a.synthetic.empty() ? Machine::from_xml(a.input, "--input") : Machine::synthetic(a.synthetic, "--synthetic");
    survey.hosts.push_back(m.summary(a.synthetic.empty() ? a.input : "synthetic"));
    mine = survey.hosts.front();
  } else {
    const Machine m = Machine::this_host();  // loaded once, for the survey and the advice
    survey = survey_this_job(m, a, false);
    mine = rank == 0 ? survey.hosts.front() : m.summary("");
  }
  std::optional<Layout> layout;
  if (request) layout = recommend(*mine, *request);
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << topology_json(survey, layout).dump(1) << '\n';
    else
      std::cout << topology_text(survey, layout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  const int rank = world_rank();

  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  app.require_subcommand(1);
  Args args;
  add_run(app, args);
  add_hello(app, args);
  add_topology(app, args);

  int code = 0;
  try {
    std::string names;
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
      known = known || (argc > 1 && sub->get_name() == argv[1]);
    }
    if (argc > 1 && argv[1][0] != '-' && !known)
      throw InputError("unknown subcommand '" + std::string(argv[1]) + "' (expected one of: " + names + ")");
    app.parse(argc, argv);
    if (app.got_subcommand("run")) code = do_run(*app.get_subcommand("run"), args, rank);
    if (app.got_subcommand("hello")) code = do_hello(*app.get_subcommand("hello"), args, rank);
    if (app.got_subcommand("topology")) code = do_topology(*app.get_subcommand("topology"), args, rank);
  } catch (const CLI::CallForHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::engine::kInputErrorExit;
  } catch (const hs::UserError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::kUserErrorExit;
  } catch (const hs::engine::Interrupted& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: %s\n", e.what());
    code = 128 + e.signal();
  } catch (const hs::engine::JobFailure& e) {
    // A fault, not an input error: other ranks may be blocked on the lost one, so the job is aborted.
    std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, hs::engine::kJobFailureExit);
  } catch (const std::exception& e) {
    // Anything else is a fault on this rank: name it, and end the job rather than leave others waiting.
    std::fprintf(stderr, "hyperslice: error: rank %d on %s: %s\n", rank, hs::job::host_name().c_str(), e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, hs::engine::kJobFailureExit);
  }
  std::fflush(stdout);
  MPI_Finalize();
  return code;
}
