// Computing slices: compute_slice (one slice's blocks over the rank's OpenMP threads, used by rank 0
// and every worker), and the worker loops of ranks > 0 for both schedules.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <functional>

#include "engine/plan.hpp"
#include "engine/slice_set.hpp"
#include "kernels/series.hpp"
#include "topology/placement.hpp"

namespace hs::engine {

// A rank's threads and where they go.
struct Team {
  int threads;
  const topology::ThreadPinner& pinner;
  bool serves = false;  // rank 0's or a leader's team: its tick serves other ranks (simulated: ticked often)
};

// Sums blocks r over the team's threads (per-thread exact accumulators, merged exactly). `tick` runs
// on the master thread between blocks (MPI service, heartbeats: MPI_THREAD_FUNNELED is enough); when
// it returns true the slice is abandoned (an interrupt), `abandoned` is set and the result must be
// dropped.
kernels::ExactAccumulator compute_slice(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team,
                                        const std::function<bool()>& tick, bool& abandoned);

#if HYPERSLICE_SMPI
// Under SimGrid's SMPI (the smpi preset): the same contract, but the work is charged as simulated time
// and nothing is summed (engine/simulated.cpp).
kernels::ExactAccumulator simulated_slice(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team,
                                          const std::function<bool()>& tick, bool& abandoned);
#endif

struct WorkerTally {
  std::uint64_t slices = 0, blocks = 0;
};

// Ranks > 0, dynamic schedule (and members of a hierarchical group): ask `boss` -- rank 0, or the
// group's leader -- for slices until it says there are no more.
WorkerTally run_dynamic_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                               int rank, int boss);
// Ranks > 0, static schedule: compute the rank's own share.
WorkerTally run_static_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                              int rank, NonemptySlices share);

}  // namespace hs::engine
