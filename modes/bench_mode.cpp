// `hyperslice bench`: one pinned thread per rank (the survey pins it and checks the layout), every
// rank's core measured, the links from rank 0, rank 0's report.
#include "job/gather.hpp"
#include "modes/modes.hpp"

namespace hs::modes {

void bench_mode(const BenchModeOptions& o, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const auto machine = topology::Machine::this_host();
  const auto survey = survey_this_job(comm, machine, {1, true});  // one pinned thread per rank
  auto report = measure::run_bench(comm, o.bench, job::host_name(), machine.cpu_model());
  if (rank != 0) return;
  report.warnings.insert(report.warnings.begin(), survey.pitfalls.begin(), survey.pitfalls.end());
  print_warnings(report.warnings);
  print_report(o.output, machine, measure::to_json(report), measure::to_text(report), 1);
}

}  // namespace hs::modes
