// Layouts that waste cores, detected from every rank's placement and its host's topology. Pure
// functions: tested on synthetic hosts and placements, used by `hello` and at the start of `run`.
#pragma once

#include <string>
#include <vector>

#include "topology/launcher.hpp"
#include "topology/machine.hpp"
#include "topology/placement.hpp"

namespace hs::topology {

struct Pitfall {
  std::string kind;     // threads_share_cores | host_oversubscribed | overlapping_bindings |
                        // smt_siblings_busy | omp_num_threads_unset
  std::string message;  // what is wrong, on which rank/host, and the fix
};

// Fixes are spelled for `launcher` (topology/launcher.hpp).
std::vector<Pitfall> detect_pitfalls(const std::vector<HostSummary>& hosts, const std::vector<RankPlacement>& ranks,
                                     Launcher launcher = Launcher::open_mpi);

}  // namespace hs::topology
