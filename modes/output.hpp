// What every mode's output shares: the provenance of the command (argv, start time) and the context
// block or header line made from it, and the warnings on stderr. Rank 0 prints; the other ranks only
// take part in the collective work.
#pragma once

#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/report.hpp"
#include "topology/machine.hpp"
#include "topology/pitfalls.hpp"
#include "topology/survey.hpp"

namespace hs::modes {

struct Provenance {
  std::vector<std::string> argv;
  long long started = 0;  // time(nullptr) when the command started
};

struct OutputOptions {
  bool json = false;
  Provenance provenance;
};

// Rank 0's report on stdout: `j` with its context (dumped with `indent`, -1 for one line) for --json,
// else the context line and `text`.
void print_report(const OutputOptions& o, const topology::Machine& machine, const nlohmann::json& j,
                  const std::string& text, int indent = -1);

// `j` with "schema_version" and "context" (job/context.hpp) added.
nlohmann::json with_context(nlohmann::json j, const Provenance& p, const topology::Machine& machine);
// The text reports' first line ("hyperslice 0.1.0 (...), Release, ... | host (CPU) | date").
std::string context_line(const Provenance& p, const topology::Machine& machine);

// "hyperslice: warning: <message>" on stderr, one line each.
void print_warnings(const std::vector<topology::Pitfall>& warnings);

struct SurveyOptions {
  int threads = 0;  // 0: not given (OMP_NUM_THREADS, Slurm's cpus per task, else the binding's cores)
  bool pin = true;
};
// Every rank's placement gathered to rank 0 and checked for pitfalls, its threads pinned first (the
// binding stays after): hello and topology with the run's thread count, bench and check with {1}.
topology::Survey survey_this_job(MPI_Comm comm, const topology::Machine& machine, const SurveyOptions& o);

// --html's objection to FILE ("" when it can be written): a folder, or a folder we cannot write into.
std::string html_problem(const std::string& path);
// The report of `docs` (report/report.hpp) into `path` ("-": stdout), whole or not at all: written
// beside it, then renamed. UserError when it cannot be written.
void write_html(const std::string& path, const std::vector<report::Document>& docs);

// How the user can run this binary again: its plain name when that name on PATH is this very file (an
// installed hyperslice), else its absolute path -- so that advice runs as printed.
std::string self_command();

}  // namespace hs::modes
