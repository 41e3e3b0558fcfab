// The compute seam, chosen by CMake (engine/CMakeLists.txt): engine/compute.cpp sums for real;
// engine/simulated.cpp, in the smpi preset's build, charges the same work as SimGrid time and sums
// nothing (docs/simulation.md). The coordinator, leaders and workers call only this.
#pragma once

#include <functional>

#include "engine/plan.hpp"
#include "kernels/series.hpp"
#include "topology/machine.hpp"
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

// Whether this build sums the series (false in a simulator build: nothing to verify).
bool sums_for_real() noexcept;

// The machine a rank runs on: this host; under SMPI the simulated platform's host, described by
// HYPERSLICE_SIM_TOPOLOGY (an hwloc synthetic description that scripts/simulate sets; nothing is pinned).
topology::Machine run_machine();

}  // namespace hs::engine
