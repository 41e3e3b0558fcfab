// A group's leader in the hierarchical schedule: rank 0's client for the group and the boss of its other
// ranks (engine/protocol.hpp). It takes slices from rank 0 in batches, hands them out to its members on
// request, computes too, and sends the group's finished slices -- each one's exact limbs, so rank 0's
// sum and checkpoints stay exact -- to rank 0 a few at a time.
#pragma once

#include <mpi.h>

#include <vector>

#include "engine/config.hpp"
#include "engine/worker.hpp"

namespace hs::engine {

// Until rank 0 has no more slices and every member is done, or the run stops; then the group's last
// results and LEADER_DONE go to rank 0.
WorkerTally run_leader(const RunConfig& config, const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team,
                       MPI_Comm comm, int rank, const std::vector<int>& members);

}  // namespace hs::engine
