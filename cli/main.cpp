// hyperslice: the thin executable. Parses the command line (the same on every rank) into a mode's
// options (modes/modes.hpp), runs the mode, and maps what it ends in -- an outcome or an error -- to an
// exit code (base/exit_codes.hpp). Input errors are one stderr line from rank 0 and exit 2 everywhere.
#include <mpi.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/app.hpp"  // CLI11 (after SMPI's exit macro is undone)

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "base/exit_codes.hpp"
#include "base/version.hpp"
#include "engine/config.hpp"
#include "engine/run_errors.hpp"
#include "job/context.hpp"
#include "job/gather.hpp"
#include "launch/slurm.hpp"
#include "modes/modes.hpp"
#include "topology/topology_error.hpp"

namespace {

using hs::cli::Args;
using hs::engine::InputError;

bool given(const CLI::App& sub, const char* flag) { return sub.get_option(flag)->count() > 0; }

std::string version_text() {
  const hs::BuildInfo& b = hs::build_info();
  return fmt::format("{}\nbuilt {} with {}{}\nMPI: {}\nhwloc: {}", hs::version_line(), b.build_type, b.compiler,
                     b.git_commit.empty() ? "" : ", commit " + b.git_commit, hs::job::mpi_library_version(),
                     HWLOC_VERSION);
}

hs::modes::SurveyOptions survey_options(const CLI::App& sub, const Args& a) {
  return {given(sub, "--threads") ? hs::engine::parse_threads("--threads", a.threads) : 0, !a.no_pin};
}

hs::modes::RunModeOptions run_options(const CLI::App& run, const Args& a) {
  using namespace hs::engine;
  hs::modes::RunModeOptions o;
  const auto& table = run_settings();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& setting = table[i];
    if (setting.value_name.empty()) {
      if (a.run_flags[i] > 0) setting.apply(o.command_line, setting.flag, setting.flag_value);
    } else if (given(run, std::string(setting.flag).c_str())) {
      setting.apply(o.command_line, setting.flag, a.run_values[i]);
    }
  }
  o.config_file = a.config;
  o.progress = {a.progress, a.quiet || a.no_progress, a.json};
  if (!a.progress_every.empty()) o.progress_every = parse_seconds("--progress-every", a.progress_every);
  return o;
}

hs::modes::TopologyModeOptions topology_options(const CLI::App& topo, const Args& a) {
  using hs::topology::TopologyError;
  if ((given(topo, "--hostfile") || given(topo, "--ranks-per-node") || a.smt || given(topo, "--nodes") || a.slurm) &&
      !a.recommend)
    throw TopologyError("--hostfile, --nodes, --ranks-per-node, --smt and --slurm go with --recommend");
  if (given(topo, "--time") && !a.slurm) throw TopologyError("--time goes with --slurm");
  hs::modes::TopologyModeOptions o;
  o.synthetic = a.synthetic;
  o.input = a.input;
  if (a.recommend) {
    hs::modes::RecommendOptions r;
    if (a.ranks_per_node != "auto")
      r.ranks_per_node = hs::engine::parse_bounded_count("--ranks-per-node", a.ranks_per_node, 4096, "ranks per node");
    r.smt = a.smt;
    if (given(topo, "--nodes")) r.nodes = hs::engine::parse_bounded_count("--nodes", a.nodes, 100000, "nodes");
    r.hostfile = a.hostfile;
    r.slurm = a.slurm;
    if (a.slurm) r.time_limit = hs::launch::parse_time_limit("--time", a.time_limit);
    o.recommend = r;
  }
  return o;
}

hs::modes::BenchModeOptions bench_options(const CLI::App& bench, const Args& a) {
  hs::modes::BenchModeOptions o;
  auto& b = o.bench;
  b.kernels = given(bench, "--kernel") ? hs::engine::parse_kernel_list("--kernel", a.bench_kernels)
                                       : hs::kernels::all_kernels();
  b.isas = hs::kernels::all_isas();
  if (given(bench, "--min-time")) b.discipline.min_time = hs::engine::parse_seconds("--min-time", a.min_time);
  if (given(bench, "--repetitions"))
    b.discipline.repetitions = hs::engine::parse_bounded_count("--repetitions", a.repetitions, 1000, "repetitions");
  b.links = !a.no_links;
  return o;
}

hs::modes::CheckModeOptions check_options(const CLI::App& check, const Args& a) {
  hs::modes::CheckModeOptions o;
  if (given(check, "--only")) hs::check::select_stages(o.check, "--only", a.check_stages);
  if (given(check, "--tolerance")) {
    o.check.tolerance = hs::check::parse_tolerance("--tolerance", a.tolerance);
    o.check.tolerance_given = true;
  }
  o.baseline = a.baseline;
  o.save_baseline = a.save_baseline;
  if (a.drain && !a.node) throw InputError("--drain goes with --node (a node drains itself; Slurm runs it there)");
  if (a.node && given(check, "--only") && o.check.links)
    throw InputError("--only: links need ranks on several hosts; --node checks one node from one process");
  if (!o.baseline.empty() && !o.save_baseline.empty())
    throw InputError("--baseline and --save-baseline: one at a time (judge against a baseline, or make one)");
  if (given(check, "--expect")) {
    if (a.node) throw InputError("--expect judges a job's layout; --node checks one node from one process");
    if (!o.check.placement) throw InputError("--expect is judged in the placement stage: --only must include placement");
    o.expect = hs::check::parse_expectation("--expect", a.expect);
    o.check.expect = a.expect;
  }
  if (a.quick) hs::check::make_quick(o.check);
  o.html = a.html;
  o.node = a.node;
  o.drain = a.drain;
  return o;
}

hs::modes::CompareModeOptions compare_options(const CLI::App& compare, const Args& a) {
  hs::modes::CompareModeOptions o;
  o.before = a.compare_before;
  o.after = a.compare_after;
  if (given(compare, "--tolerance")) o.compare.tolerance = hs::check::parse_tolerance("--tolerance", a.tolerance);
  if (given(compare, "--alpha")) o.compare.alpha = hs::check::parse_alpha("--alpha", a.alpha);
  return o;
}

hs::ExitCode exit_of(hs::modes::Outcome outcome) {
  switch (outcome) {
    case hs::modes::Outcome::verify_failed:
      return hs::ExitCode::verify_failed;
    case hs::modes::Outcome::check_failed:
      return hs::ExitCode::check_failed;
    case hs::modes::Outcome::ok:
      break;
  }
  return hs::ExitCode::done;
}

int dispatch(const CLI::App& app, const Args& a, const hs::modes::Provenance& prov) {
  using hs::ExitCode;
  const hs::modes::OutputOptions output{a.json, prov};
  if (const auto* run = app.get_subcommand("run"); run->parsed()) {
    auto o = run_options(*run, a);
    o.output = output;
    return hs::exit_status(exit_of(hs::modes::run_mode(o, MPI_COMM_WORLD)));
  }
  if (const auto* hello = app.get_subcommand("hello"); hello->parsed())
    hs::modes::hello_mode({survey_options(*hello, a), output}, MPI_COMM_WORLD);
  if (const auto* topo = app.get_subcommand("topology"); topo->parsed()) {
    auto o = topology_options(*topo, a);
    o.output = output;
    hs::modes::topology_mode(o, MPI_COMM_WORLD);
  }
  if (const auto* bench = app.get_subcommand("bench"); bench->parsed()) {
    auto o = bench_options(*bench, a);
    o.output = output;
    hs::modes::bench_mode(o, MPI_COMM_WORLD);
  }
  if (const auto* check = app.get_subcommand("check"); check->parsed()) {
    auto o = check_options(*check, a);
    o.output = output;
    return hs::exit_status(exit_of(hs::modes::check_mode(o, MPI_COMM_WORLD)));
  }
  if (const auto* compare = app.get_subcommand("compare"); compare->parsed()) {
    auto o = compare_options(*compare, a);
    o.output = output;
    return hs::exit_status(exit_of(hs::modes::compare_mode(o, MPI_COMM_WORLD)));
  }
  if (const auto* report = app.get_subcommand("report"); report->parsed())
    hs::modes::report_mode({a.report_files, a.html}, MPI_COMM_WORLD);
  return hs::exit_status(ExitCode::done);
}

// Ends the whole job after a fault on this rank (its message already written). The launcher forwards a
// rank's stderr through its own daemons, which the abort tears down: Hydra's sometimes lost the line
// (one run of the MPICH tests here saw an empty stderr), so the abort waits a moment for it.
[[noreturn]] void abort_job() {
  std::fflush(stderr);
  usleep(200000);
  MPI_Abort(MPI_COMM_WORLD, hs::exit_status(hs::ExitCode::fault));
  std::abort();  // MPI_Abort does not return
}

}  // namespace

int main(int argc, char** argv) {
  const int bad_input = hs::exit_status(hs::ExitCode::bad_input);
  // srun with a --mpi plugin this MPI cannot use: Open MPI would abort in MPI_Init with a page of
  // banners, and MPICH would make every task rank 0 of its own job. Said once (by srun's task 0), before
  // MPI_Init where the environment shows it, else before any task computes the whole job.
  bool first_task = false;
  if (const std::string m = hs::launch::srun_plugin_mismatch(0, hs::job::mpi_library_version(), first_task); !m.empty()) {
    if (first_task) std::fprintf(stderr, "hyperslice: error: %s\n", m.c_str());
    return bad_input;
  }
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (const std::string m = hs::launch::srun_plugin_mismatch(size, hs::job::mpi_library_version(), first_task); !m.empty()) {
    if (first_task) std::fprintf(stderr, "hyperslice: error: %s\n", m.c_str());
    MPI_Finalize();
    return bad_input;
  }

  const hs::modes::Provenance prov{std::vector<std::string>(argv, argv + argc), static_cast<long long>(std::time(nullptr))};
  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  Args args;
  hs::cli::build_app(app, args, version_text);

  int code = 0;
  try {
    if (const std::string m = hs::cli::misuse_of(app, prov.argv); !m.empty()) throw InputError(m);
    app.parse(argc, argv);
    code = dispatch(app, args, prov);
  } catch (const CLI::CallForHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    if (rank == 0) std::cout << e.what() << '\n';
  } catch (const CLI::ParseError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = bad_input;
  } catch (const hs::UserError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = bad_input;
  } catch (const hs::engine::Interrupted& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: %s\n", e.what());
    code = hs::kSignalExitBase + e.signal();
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
