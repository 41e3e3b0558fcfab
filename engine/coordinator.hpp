// Rank 0 of `run`: hands out slices (dynamic schedule) or computes its own share (static), computes
// too, receives every finished slice's exact sum, watches heartbeats, writes checkpoints, reports
// progress and handles interrupts -- the other side of engine/protocol.hpp.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "engine/checkpoint.hpp"
#include "engine/hierarchy.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "engine/worker.hpp"

namespace hs::engine {

struct CoordinatorOutcome {
  Checkpoint state;  // the exact sum of every finished slice, and which ones
  WorkerTally own;   // what rank 0 computed itself
  double compute_seconds = 0;
  int interrupted_by = 0;          // the signal that stopped the run, or 0
  std::string interrupt_message;   // what to tell the user then
};

// Rank 0, until every slice is in (or the run is interrupted). Throws JobFailure when a rank falls
// silent for config.fail_timeout seconds (after a last checkpoint). `hosts` names each rank's host;
// `hierarchy` says which ranks rank 0 serves directly and which lead groups.
CoordinatorOutcome run_coordinator(const RunConfig& config, const Plan& plan, const kernels::SeriesKernel& kernel,
                                   const Team& team, Checkpoint state, const std::vector<SliceRange>& remaining,
                                   MPI_Comm comm, const std::vector<std::string>& hosts, const Hierarchy& hierarchy,
                                   const ProgressFn& progress);

}  // namespace hs::engine
