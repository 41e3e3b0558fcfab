// One library entry point per subcommand, each taking a plain options struct (cli/ fills it from the
// command line): the mode runs on every rank of `comm`, rank 0 prints its report on stdout and its
// warnings on stderr. Errors are thrown (hs::UserError and its kinds, engine::JobFailure,
// engine::Interrupted); cli/ maps them, and each Outcome, to an exit code (base/exit_codes.hpp).
#pragma once

#include <mpi.h>

#include <optional>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "check/compare.hpp"
#include "check/expect.hpp"
#include "engine/progress.hpp"
#include "engine/settings.hpp"
#include "kernels/series.hpp"
#include "measure/bench.hpp"
#include "modes/output.hpp"

namespace hs::modes {

enum class Outcome { ok, verify_failed, check_failed };

struct RunModeOptions {
  engine::RunOptions command_line;  // the settings given on the command line
  std::string config_file;          // --config: the same settings from TOML, under the command line's
  engine::ProgressRequest progress;
  double progress_every = engine::kProgressLinesEvery;
  OutputOptions output;
};
Outcome run_mode(const RunModeOptions& o, MPI_Comm comm);

struct HelloModeOptions {
  SurveyOptions survey;
  OutputOptions output;
};
void hello_mode(const HelloModeOptions& o, MPI_Comm comm);

struct RecommendOptions {
  int ranks_per_node = 0;  // 0: auto
  bool smt = false;
  int nodes = 0;
  std::string hostfile;
  bool slurm = false;  // a Slurm batch script, printed alone
  std::string time_limit = "01:00:00";
};

struct TopologyModeOptions {
  std::string synthetic;  // an hwloc synthetic description instead of this host
  std::string input;      // an lstopo XML file instead of this host
  std::optional<RecommendOptions> recommend;
  OutputOptions output;
};
void topology_mode(const TopologyModeOptions& o, MPI_Comm comm);

struct BenchModeOptions {
  measure::BenchOptions bench;
  OutputOptions output;
};
void bench_mode(const BenchModeOptions& o, MPI_Comm comm);

struct CheckModeOptions {
  check::CheckOptions check;
  std::string baseline;       // --baseline: an earlier check's JSON to judge against
  std::string save_baseline;  // --save-baseline: write this check's JSON there (when it did not fail)
  bool node = false;   // --node: this node from one process, one thread per core (Slurm's HealthCheckProgram)
  bool drain = false;  // --drain (with --node): drain this Slurm node when it fails, resume it when it passes
  std::optional<check::Expectation> expect;  // --expect: the layout the job must have (placement stage)
  std::string html;  // --html: also draw the report into this file (report/report.hpp)
  OutputOptions output;
};
Outcome check_mode(const CheckModeOptions& o, MPI_Comm comm);

struct CompareModeOptions {
  std::string before, after;  // two checks' JSON (--json output or --save-baseline files)
  check::CompareOptions compare;
  OutputOptions output;
};
// check_failed when a metric regressed significantly beyond the tolerance.
Outcome compare_mode(const CompareModeOptions& o, MPI_Comm comm);

struct ReportModeOptions {
  std::vector<std::string> files;  // hyperslice's JSON outputs, drawn in this order
  std::string html;                // where the page goes ("-": stdout)
};
// `hyperslice report FILE.json... --html OUT`: rank 0 reads and draws; every rank agrees on an error.
void report_mode(const ReportModeOptions& o, MPI_Comm comm);

}  // namespace hs::modes
