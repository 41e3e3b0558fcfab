// Survey: every rank describes its host and its placement; rank 0 gathers them over MPI, groups them
// by host and checks them for pitfalls. Used by `hello`, `topology` and at the start of `run`.
#pragma once

#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "topology/machine.hpp"
#include "topology/pitfalls.hpp"
#include "topology/placement.hpp"

namespace hs::topology {

struct Survey {
  std::vector<HostSummary> hosts;    // distinct hosts, in order of their first rank (rank 0 only)
  std::vector<RankPlacement> ranks;  // by rank (rank 0 only)
  std::vector<Pitfall> pitfalls;     // rank 0 only
};

// Collective: the threads of lower ranks on this node whose binding equals `binding`, i.e. the first
// core this rank's threads should take so that ranks sharing a binding do not stack on core 0.
int shared_binding_offset(MPI_Comm comm, const std::vector<int>& binding, int threads);

// Collective. `me` is this rank's placement (observe_rank), `host` its host's summary.
Survey gather_survey(MPI_Comm comm, const HostSummary& host, const RankPlacement& me);

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Group, index, cores, pus, memory_bytes, pus_list, cores_list)

// One thread's placement as reports show it: thread, pus (list string), running_pu, core, numa.
nlohmann::json thread_json(const ThreadPlacement& t);
nlohmann::json to_json(const HostSummary& h);
nlohmann::json to_json(const RankPlacement& r);
HostSummary host_from_json(const nlohmann::json& j);
RankPlacement placement_from_json(const nlohmann::json& j);

}  // namespace hs::topology
