// run_pi: the distributed computation. Collective over the communicator: every rank calls it with
// the same RunConfig. Static or dynamic (master/worker, rank 0 computing too) slices over ranks,
// OpenMP threads over a slice's blocks, an exact accumulator per thread, exact MPI reduction of the
// integer limbs, one rounding on rank 0.
#pragma once

#include <mpi.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "topology/survey.hpp"

namespace hs::engine {

struct RankStats {
  int rank = 0;
  std::string host;
  int threads = 0;
  std::string isa;
  std::uint64_t slices = 0;
  std::uint64_t blocks = 0;
  double seconds = 0;     // the rank's compute time
  double max_rss_mb = 0;  // peak resident memory of the rank's process
};

struct RunResult {
  RunConfig config;
  int ranks = 0;
  int threads = 0;  // rank 0's; per_rank[] has each rank's
  std::string isa;  // every rank's ISA, or "mixed"
  double pi = 0;    // meaningful on rank 0
  double seconds = 0;
  std::vector<RankStats> per_rank;   // on rank 0
  std::vector<std::string> hosts;    // distinct, in rank order
  std::uint64_t resumed_slices = 0;  // slices taken from the checkpoint with --resume
  topology::Survey survey;           // placements and pitfalls, taken before computing (rank 0)
};

struct Progress {
  std::uint64_t slices_done = 0, slices_total = 0;
  double seconds = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

struct RunHooks {
  ProgressFn progress;  // rank 0, master thread, between blocks, at most 4 times a second
  std::function<void(const topology::Survey&)> on_start;  // rank 0, after the survey, before computing
};

// Throws InputError on every rank (same message) when the requested ISA is missing on some rank or
// the checkpoint cannot be used; throws JobFailure on rank 0 when a rank falls silent (the caller
// aborts the job: the other ranks may be blocked).
// Threads are pinned one per core of the rank's binding unless config.pin is false or OMP_PLACES /
// OMP_PROC_BIND are set.
RunResult run_pi(const RunConfig& config, MPI_Comm comm, const RunHooks& hooks = {});

// This rank's host name as MPI reports it.
std::string host_name();

// Collective: a pinner for this rank whose threads start after those of lower ranks on the same node
// with the same binding.
std::unique_ptr<topology::ThreadPinner> make_pinner(MPI_Comm comm, const topology::Machine& machine, bool enable,
                                                    int threads);

// Collective: pins (if the pinner is active) and observes `threads` threads on every rank, gathers the
// placements and host topologies to rank 0 and checks them for pitfalls. `isa` is what the rank's
// kernels use (for the report).
topology::Survey survey_ranks(MPI_Comm comm, const topology::ThreadPinner& pinner, int threads, bool threads_given,
                              const std::string& isa);

// Threads a rank uses: the config's, else OMP_NUM_THREADS, else the cores it is bound to.
int resolve_threads(int configured);

}  // namespace hs::engine
