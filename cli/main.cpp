// hyperslice: the thin executable. Parses the command line (the same on every rank), calls the
// libraries, prints on rank 0. Input errors become one stderr line from rank 0 and exit 2 everywhere.
#include <mpi.h>
#include <unistd.h>

#include <fmt/format.h>

#if HYPERSLICE_SMPI
#undef exit  // as in cli/app.hpp
#endif
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "base/version.hpp"
#include "cli/app.hpp"

#include "engine/config.hpp"
#include "engine/error.hpp"
#include "engine/progress.hpp"
#include "engine/report.hpp"
#include "engine/run.hpp"
#include "engine/settings.hpp"
#include "job/context.hpp"
#include "job/placement.hpp"
#include "job/slurm.hpp"
#include "job/survey.hpp"
#include "job/launcher_process.hpp"
#include "kernels/series.hpp"
#include "perf/bench.hpp"
#include "topology/error.hpp"
#include "topology/layout.hpp"
#include "topology/report.hpp"

namespace {

using hs::engine::InputError;

using hs::cli::Args;

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

// How the user can run this binary again: its plain name when that name on PATH is this very file (an
// installed hyperslice), else its absolute path -- so that advice runs as printed.
std::string self_command() {
  std::error_code ec;
  const auto self = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) return "hyperslice";
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / "hyperslice";
    if (std::filesystem::equivalent(candidate, self, ec) && !ec) return "hyperslice";
  }
  return self.string();
}

// The machine a rank runs on. Under SimGrid's SMPI (the smpi preset) every rank is an actor of one
// simulation process on this machine, so its host is the simulated platform's, described by
// HYPERSLICE_SIM_TOPOLOGY (an hwloc synthetic description, e.g. "pack:2 core:16 pu:1"; scripts/simulate
// sets it from the platform): nothing is pinned, no thread of this machine is observed.
hs::topology::Machine run_machine() {
#if HYPERSLICE_SMPI
  const char* description = std::getenv("HYPERSLICE_SIM_TOPOLOGY");
  return hs::topology::Machine::synthetic(description ? description : "pack:1 core:1 pu:1", "HYPERSLICE_SIM_TOPOLOGY");
#else
  return hs::topology::Machine::this_host();
#endif
}

// What every report carries (job/context.hpp); rank 0 only.
struct Provenance {
  std::vector<std::string> argv;
  long long started = 0;
};

nlohmann::json with_context(nlohmann::json j, const Provenance& p, const hs::topology::Machine& machine) {
  j["schema_version"] = hs::kJsonSchemaVersion;
  j["context"] = hs::job::to_json(hs::job::make_context(p.argv, machine, p.started));
  return j;
}

std::string context_line(const Provenance& p, const hs::topology::Machine& machine) {
  return hs::job::header_line(hs::job::make_context(p.argv, machine, p.started));
}

std::string header(const Provenance& p, const hs::topology::Machine& machine) { return context_line(p, machine) + "\n"; }

std::string version_text() {
  const hs::BuildInfo& b = hs::build_info();
  return fmt::format("{}\nbuilt {} with {}{}\nMPI: {}\nhwloc: {}", hs::version_line(), b.build_type, b.compiler,
                     b.git_commit.empty() ? "" : ", commit " + b.git_commit, hs::job::mpi_library_version(),
                     HWLOC_VERSION);
}

int do_run(const CLI::App& run, const Args& a, int rank, const Provenance& prov) {
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
  const char* term = std::getenv("TERM");
  const ProgressStyle style = choose_progress_style({a.progress, a.quiet || a.no_progress, a.json},
                                                    rank == 0 && hs::job::output_reaches_a_terminal(), term ? term : "");
  const double every = a.progress_every.empty() ? kProgressLinesEvery : parse_seconds("--progress-every", a.progress_every);
  ProgressPrinter progress(rank == 0 ? style : ProgressStyle::none, a.progress, every, stderr);
  hooks.progress = progress.hook();
  const hs::topology::Machine machine = run_machine();
  const RunResult r = run_pi(config, MPI_COMM_WORLD, machine, hooks);
  if (rank == 0) {
    progress.finish();
    if (a.json)
      std::cout << with_context(to_json(r), prov, machine).dump() << '\n';
    else
      std::cout << header(prov, machine) << to_text(r);
    if (r.verification && r.verification->ulps > 1) {
      std::cout.flush();
      std::fprintf(stderr, "hyperslice: error: verify: pi %s is %llu ulps from the exact partial sum %s (more than 1)\n",
                   hs::kernels::hex_double(r.pi).c_str(), static_cast<unsigned long long>(r.verification->ulps),
                   hs::kernels::hex_double(r.verification->exact).c_str());
      return hs::engine::kVerifyFailedExit;
    }
  }
  return 0;
}

// sbatch --time's formats (sbatch(1)): M, M:S, H:M:S, D-H, D-H:M, D-H:M:S; it goes into the script as given.
std::string parse_time_limit(const std::string& t) {
  static const std::regex form(R"(\d{1,6}(:\d{1,2}){0,2}|\d{1,4}-\d{1,2}(:\d{1,2}){0,2})");
  if (!std::regex_match(t, form))
    throw hs::topology::TopologyError(
        fmt::format("--time: expected a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S), got '{}'", t));
  return t;
}

hs::topology::Survey survey_this_job(const hs::topology::Machine& machine, const Args& a, bool threads_given) {
  const int threads =
      hs::job::resolve_threads(threads_given ? hs::engine::parse_threads("--threads", a.threads) : 0, machine);
  const auto pinner = hs::job::make_pinner(MPI_COMM_WORLD, machine, !a.no_pin, threads);
  return hs::job::survey_ranks(MPI_COMM_WORLD, *pinner,
                               {threads, threads_given, std::string(hs::kernels::name(hs::kernels::best_isa()))});
}

int do_hello(const CLI::App& hello, const Args& a, int rank, const Provenance& prov) {
  const auto machine = hs::topology::Machine::this_host();
  const auto survey = survey_this_job(machine, a, hello.get_option("--threads")->count() > 0);
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << with_context(hs::topology::hello_json(survey, world_size()), prov, machine).dump() << '\n';
    else
      std::cout << header(prov, machine) << hs::topology::hello_text(survey, world_size());
  }
  return 0;
}

int do_topology(const CLI::App& topo, const Args& a, int rank, const Provenance& prov) {
  using namespace hs::topology;
  std::optional<LayoutRequest> request;
  if ((topo.get_option("--hostfile")->count() || topo.get_option("--ranks-per-node")->count() || a.smt ||
       topo.get_option("--nodes")->count() || a.slurm) &&
      !a.recommend)
    throw TopologyError("--hostfile, --nodes, --ranks-per-node, --smt and --slurm go with --recommend");
  if (topo.get_option("--time")->count() && !a.slurm) throw TopologyError("--time goes with --slurm");
  if (a.recommend) {
    LayoutRequest req;
    req.smt = a.smt;
    if (a.ranks_per_node != "auto")
      req.ranks_per_node = hs::engine::parse_bounded_count("--ranks-per-node", a.ranks_per_node, 4096, "ranks per node");
    req.ranks_per_node_what = "--ranks-per-node";
    req.program = {self_command(), "run"};
    req.launcher = a.slurm ? Launcher::srun : hs::job::launcher_of_this_mpi();
    req.srun_mpi = hs::job::srun_mpi_plugin();
    if (a.slurm) req.time_limit = parse_time_limit(a.time_limit);
    if (topo.get_option("--nodes")->count()) {
      const std::uint64_t n = hs::engine::parse_count("--nodes", a.nodes);
      if (n > 100000) throw TopologyError(fmt::format("--nodes: {} nodes is more than 100000", n));
      req.nodes = static_cast<int>(n);
    }
    if (!a.hostfile.empty()) {
      req.hostfile = a.hostfile;
      req.hosts = read_hostfile(a.hostfile, "--hostfile");
    }
    request = req;
  }
  Survey survey;
  const Machine here = Machine::this_host();  // this host's: the survey, the advice (unless loaded), the context
  const bool loaded = !a.synthetic.empty() || !a.input.empty();
  std::optional<HostSummary> mine;  // what this rank checks the request against, so all agree on errors
  if (loaded) {
    // Every rank loads it, so every rank agrees on a bad description; rank 0 reports.
    const Machine m =
        a.synthetic.empty() ? Machine::from_xml(a.input, "--input") : Machine::synthetic(a.synthetic, "--synthetic");
    survey.hosts.push_back(m.summary(a.synthetic.empty() ? a.input : "synthetic"));
    mine = survey.hosts.front();
  } else {
    survey = survey_this_job(here, a, false);
    mine = rank == 0 ? survey.hosts.front() : here.summary("");
  }
  std::optional<Layout> layout;
  if (request) layout = recommend(*mine, *request);
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << with_context(topology_json(survey, layout), prov, here).dump(1) << '\n';
    else if (a.slurm)  // the script alone, so that `> job.sbatch` makes one
      std::cout << batch_script_text(*layout, context_line(prov, here));
    else
      std::cout << header(prov, here) << topology_text(survey, layout);
  }
  return 0;
}

int do_bench(const CLI::App& bench, const Args& a, int rank, const Provenance& prov) {
  hs::perf::BenchOptions options;
  options.kernels = bench.get_option("--kernel")->count() ? hs::engine::parse_kernel_list("--kernel", a.bench_kernels)
                                                          : hs::kernels::all_kernels();
  options.isas = hs::kernels::all_isas();
  if (bench.get_option("--min-time")->count()) options.discipline.min_time = hs::engine::parse_seconds("--min-time", a.min_time);
  if (bench.get_option("--repetitions")->count())
    options.discipline.repetitions = hs::engine::parse_bounded_count("--repetitions", a.repetitions, 1000, "repetitions");
  options.links = !a.no_links;
  // One thread per rank, pinned like run's thread 0: the survey pins it and checks the layout.
  const auto machine = hs::topology::Machine::this_host();
  const auto pinner = hs::job::make_pinner(MPI_COMM_WORLD, machine, true, 1);
  const auto survey =
      hs::job::survey_ranks(MPI_COMM_WORLD, *pinner, {1, true, std::string(hs::kernels::name(hs::kernels::best_isa()))});
  auto report = hs::perf::run_bench(MPI_COMM_WORLD, options, hs::job::host_name(), machine.cpu_model());
  if (rank == 0) {
    report.warnings.insert(report.warnings.begin(), survey.pitfalls.begin(), survey.pitfalls.end());
    for (const auto& w : report.warnings) std::fprintf(stderr, "hyperslice: warning: %s\n", w.message.c_str());
    if (a.json)
      std::cout << with_context(hs::perf::to_json(report), prov, machine).dump(1) << '\n';
    else
      std::cout << header(prov, machine) << hs::perf::to_text(report);
  }
  return 0;
}

// Ends the whole job after a fault on this rank (its message already written). The launcher forwards a
// rank's stderr through its own daemons, which the abort tears down: Hydra's sometimes lost the line
// (one run of the MPICH tests here saw an empty stderr), so the abort waits a moment for it.
[[noreturn]] void abort_job() {
  std::fflush(stderr);
  usleep(200000);
  MPI_Abort(MPI_COMM_WORLD, hs::engine::kJobFailureExit);
  std::abort();  // MPI_Abort does not return
}

}  // namespace

int main(int argc, char** argv) {
  // srun with a --mpi plugin this MPI cannot use: Open MPI would abort in MPI_Init with a page of
  // banners, and MPICH would make every task rank 0 of its own job. Said once (by srun's task 0), before
  // MPI_Init where the environment shows it, else before any task computes the whole job.
  bool first_task = false;
  if (const std::string m = hs::job::srun_plugin_mismatch(0, first_task); !m.empty()) {
    if (first_task) std::fprintf(stderr, "hyperslice: error: %s\n", m.c_str());
    return hs::kUserErrorExit;
  }
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  const int rank = world_rank();
  if (const std::string m = hs::job::srun_plugin_mismatch(world_size(), first_task); !m.empty()) {
    if (first_task) std::fprintf(stderr, "hyperslice: error: %s\n", m.c_str());
    MPI_Finalize();
    return hs::kUserErrorExit;
  }

  const Provenance prov{std::vector<std::string>(argv, argv + argc), static_cast<long long>(std::time(nullptr))};

  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  Args args;
  hs::cli::build_app(app, args, version_text);

  int code = 0;
  try {
    if (const std::string m = hs::cli::misuse_of(app, prov.argv); !m.empty()) throw InputError(m);
    app.parse(argc, argv);
    if (app.got_subcommand("run")) code = do_run(*app.get_subcommand("run"), args, rank, prov);
    if (app.got_subcommand("hello")) code = do_hello(*app.get_subcommand("hello"), args, rank, prov);
    if (app.got_subcommand("topology")) code = do_topology(*app.get_subcommand("topology"), args, rank, prov);
    if (app.got_subcommand("bench")) code = do_bench(*app.get_subcommand("bench"), args, rank, prov);
  } catch (const CLI::CallForHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    if (rank == 0) std::cout << e.what() << '\n';
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
    abort_job();
  } catch (const std::exception& e) {
    // Anything else is a fault on this rank: name it, and end the job rather than leave others waiting.
    std::fprintf(stderr, "hyperslice: error: rank %d on %s: %s\n", rank, hs::job::host_name().c_str(), e.what());
    abort_job();
  }
  std::fflush(stdout);
  MPI_Finalize();
  return code;
}
