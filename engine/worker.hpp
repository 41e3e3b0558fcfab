// The worker loops of ranks > 0 for both schedules (each slice computed by compute_slice,
// engine/compute.hpp).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <functional>

#include "engine/compute.hpp"
#include "engine/plan.hpp"
#include "engine/slice_set.hpp"
#include "kernels/series.hpp"
#include "topology/placement.hpp"

namespace hs::engine {

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
