// run_pi: the distributed computation. Collective over the communicator: every rank calls it with
// the same RunConfig. Static or dynamic (master/worker, rank 0 computing too) slices over ranks,
// OpenMP threads over a slice's blocks, an exact accumulator per thread, each finished slice's exact
// integer limbs sent to rank 0, one rounding there.
#pragma once

#include <mpi.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "topology/survey.hpp"

namespace hs::engine {

// What a rank did during the run (gathered as bytes: keep it trivially copyable). Where it ran -- host,
// threads, ISA, bindings -- is in RunResult::survey.ranks[rank], the one record of per-rank facts.
struct RankStats {
  int rank = 0;
  std::uint64_t slices = 0;  // non-empty slices it computed
  std::uint64_t blocks = 0;
  double seconds = 0;     // the rank's compute time
  double max_rss_mb = 0;  // peak resident memory of the rank's process
};

// --verify: the exact partial sum, computed independently (kernels/exact_reference.hpp).
struct Verification {
  double exact = 0;        // 4·S_N rounded to nearest
  std::uint64_t ulps = 0;  // distance of pi from it
  std::string method;
};

struct RunResult {
  // Terms per second of this run's own work: a resumed run counts only the slices it computed.
  [[nodiscard]] double rate() const noexcept {
    return seconds > 0 ? static_cast<double>(terms_computed) / seconds : 0.0;
  }

  RunConfig config;
  int ranks = 0;
  int threads = 0;  // rank 0's; per_rank[] has each rank's
  int groups = 1;   // the hierarchical schedule's groups (rank 0's included); 1 otherwise
  std::string isa;  // every rank's ISA, or "mixed"
  double pi = 0;    // meaningful on rank 0
  double seconds = 0;
  std::vector<RankStats> per_rank;   // on rank 0
  std::vector<std::string> hosts;    // distinct, in rank order
  std::uint64_t resumed_slices = 0;  // slices taken from the checkpoint with --resume
  std::uint64_t terms_computed = 0;  // terms of the slices computed in this run (not those resumed)
  topology::Survey survey;           // placements and pitfalls, taken before computing (rank 0)
  std::optional<Verification> verification;  // with config.verify (rank 0)
};

struct Progress {
  std::uint64_t slices_done = 0, slices_total = 0;
  double seconds = 0;                // since this run started
  std::uint64_t slices_at_start = 0;  // done before it (resumed from a checkpoint)
  std::uint64_t terms_total = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

struct RunHooks {
  ProgressFn progress;  // rank 0, master thread, between blocks, at most 4 times a second
  std::function<void(const topology::Survey&)> on_start;  // rank 0, after the survey, before computing
};

// Throws InputError on every rank (same message) when the requested ISA is missing on some rank or
// the checkpoint cannot be used; throws JobFailure on rank 0 when a rank falls silent (the caller
// aborts the job: the other ranks may be blocked); throws Interrupted on every rank after SIGINT or
// SIGTERM (rank 0's with the message).
// Threads are pinned one per core of the rank's binding unless config.pin is false or OMP_PLACES /
// OMP_PROC_BIND are set. `machine` is this host's topology, loaded once by the caller.
RunResult run_pi(const RunConfig& config, MPI_Comm comm, const topology::Machine& machine, const RunHooks& hooks = {});
// The same, loading this host's topology itself.
RunResult run_pi(const RunConfig& config, MPI_Comm comm, const RunHooks& hooks = {});

}  // namespace hs::engine
