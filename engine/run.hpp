// run_pi: the distributed computation. Collective over the communicator: every rank calls it with
// the same RunConfig. Static or dynamic (master/worker, rank 0 computing too) slices over ranks,
// OpenMP threads over a slice's blocks, an exact accumulator per thread, exact MPI reduction of the
// integer limbs, one rounding on rank 0.
#pragma once

#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

#include "engine/config.hpp"

namespace hs::engine {

struct RankStats {
  int rank = 0;
  std::string host;
  int threads = 0;
  std::string isa;
  std::uint64_t slices = 0;
  std::uint64_t blocks = 0;
  double seconds = 0;  // the rank's compute time
  double max_rss_mb = 0;  // peak resident memory of the rank's process
  std::vector<std::string> thread_bindings;  // per thread: "core 3 (PU 3)", or "unpinned"
};

struct RunResult {
  RunConfig config;
  int ranks = 0;
  int threads = 0;  // rank 0's; per_rank[] has each rank's
  std::string isa;  // every rank's ISA, or "mixed"
  double pi = 0;    // meaningful on rank 0
  double seconds = 0;
  std::vector<RankStats> per_rank;  // on rank 0
  std::vector<std::string> hosts;   // distinct, in rank order
};

struct Progress {
  std::uint64_t slices_done = 0, slices_total = 0;
  double seconds = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

// Throws InputError on every rank (same message) when the requested ISA is missing on some rank.
// progress (rank 0, master thread) is called between blocks, at most a few times a second.
RunResult run_pi(const RunConfig& config, MPI_Comm comm, const ProgressFn& progress = {});

// Threads a rank uses: the config's, else OMP_NUM_THREADS, else the cores it is bound to.
int resolve_threads(int configured);

}  // namespace hs::engine
