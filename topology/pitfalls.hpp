// Layouts that waste cores, detected from every rank's placement and its host's topology. Pure
// functions: tested on synthetic hosts and placements, used by `hello` and at the start of `run`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "launch/dialect.hpp"
#include "topology/machine.hpp"
#include "topology/placement.hpp"

namespace hs::topology {

using launch::Launcher;

struct Pitfall {
  std::string kind;     // threads_share_cores | host_oversubscribed | overlapping_bindings |
                        // smt_siblings_busy | omp_num_threads_unset
  std::string message;  // what is wrong, on which rank/host, and the fix
};

// Fixes are spelled for `launcher` by the launch layer (launch/command.hpp).
// Warnings as every --json output writes them: [{"kind": ..., "message": ...}, ...].
nlohmann::json to_json(const std::vector<Pitfall>& warnings);

std::vector<Pitfall> detect_pitfalls(const std::vector<HostSummary>& hosts, const std::vector<RankPlacement>& ranks,
                                     Launcher launcher = Launcher::open_mpi);

}  // namespace hs::topology
