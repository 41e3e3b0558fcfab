// `hyperslice bench`: every rank measures, rank 0 gathers (the comparison: compare.cpp; the report:
// bench_json.cpp, bench_text.cpp).
#include "measure/bench.hpp"

#include <stdexcept>

#include "job/gather.hpp"
#include "measure/bench_views.hpp"

namespace hs::measure {

using namespace detail;

const KernelRate& RankBench::best() const {
  if (node.results.empty()) throw std::logic_error("RankBench::best: no results");
  return *std::max_element(node.results.begin(), node.results.end(),
                           [](const KernelRate& a, const KernelRate& b) { return a.terms.median < b.terms.median; });
}

const ProbeRates& RankBench::best_probe() const {
  if (node.probes.empty()) throw std::logic_error("RankBench::best_probe: no probes");
  return *std::max_element(node.probes.begin(), node.probes.end(), [](const ProbeRates& a, const ProbeRates& b) {
    return a.divider.median < b.divider.median;
  });
}

BenchReport run_bench(MPI_Comm comm, const BenchOptions& options, const std::string& host, const std::string& cpu_model) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  BenchReport report;
  report.discipline = options.discipline;
  RankBench mine{rank, host, cpu_model, {}};
  MPI_Barrier(comm);  // all ranks start measuring together
  mine.node = bench_this_core(options.kernels, options.isas, options.discipline);
  const auto all = job::gather_json(comm, to_json(mine));
  MPI_Barrier(comm);  // nothing computes while the links are measured
  if (options.links) report.links = bench_links(comm);
  if (rank == 0) {
    for (const auto& j : all) report.ranks.push_back(rank_bench_from_json(j));
    report.warnings = compare(report);
  } else {
    report.ranks.push_back(std::move(mine));
  }
  return report;
}

}  // namespace hs::measure
