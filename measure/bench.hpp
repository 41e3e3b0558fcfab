// `hyperslice bench`: every rank measures its own core -- all ranks at once, the load a run puts on a
// node -- then rank 0 exchanges messages with each other rank in turn. Rank 0 gathers it all, compares
// ranks and hosts, and reports.
#pragma once

#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "measure/links.hpp"
#include "measure/node_bench.hpp"
#include "topology/pitfalls.hpp"

namespace hs::measure {

struct BenchOptions {
  std::vector<kernels::Kernel> kernels;  // all by default
  std::vector<kernels::Isa> isas;        // all this build has; each rank measures those its CPU runs
  Discipline discipline;
  bool links = true;
};

struct RankBench {
  int rank = 0;
  std::string host;
  std::string cpu_model;
  NodeBench node;
  // The fastest kernel x ISA on this rank (results non-empty).
  [[nodiscard]] const KernelRate& best() const;
  // The ISA whose divider probe is fastest on this rank (its divider ceiling).
  [[nodiscard]] const ProbeRates& best_probe() const;
};

struct BenchReport {
  Discipline discipline;
  std::vector<RankBench> ranks;  // by rank (rank 0 only)
  std::vector<Link> links;       // rank 0 to each other rank
  std::vector<topology::Pitfall> warnings;
};

// Collective. Every rank measures, rank 0 gathers and returns the full report (with warnings);
// the other ranks return their own part only.
BenchReport run_bench(MPI_Comm comm, const BenchOptions& options, const std::string& host, const std::string& cpu_model);

// The comparisons, from the measurements alone: a rank whose best rate or best divider probe is at
// least `threshold` below the best rank's (kind slow_rank), a host whose ranks' best rates differ by at least
// `threshold` (uneven_host), a link much slower than the others of its kind (slow_link: latency 2x the
// best, or bandwidth at 4 MiB half the best, among links to the same host as rank 0 or to other hosts).
std::vector<topology::Pitfall> compare(const BenchReport& r, double threshold = 0.10);

nlohmann::json to_json(const RankBench& r);
RankBench rank_bench_from_json(const nlohmann::json& j);
nlohmann::json to_json(const BenchReport& r);  // schema: docs/schema/bench.schema.json
std::string to_text(const BenchReport& r);

}  // namespace hs::measure
