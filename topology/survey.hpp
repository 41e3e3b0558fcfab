// Survey: every rank's host and placement, grouped by host, with the pitfalls found in them (gathered
// over MPI by job/gather.hpp), and their JSON form -- the one schema of per-rank facts that the
// reports of `hello`, `topology` and `run` and the gather itself all use.
#pragma once

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

// Groups per-rank (host, placement) records in rank order into a Survey and checks it for pitfalls.
Survey make_survey(const std::vector<std::pair<HostSummary, RankPlacement>>& by_rank,
                   Launcher launcher = Launcher::open_mpi);

// The distinct ISAs of the ranks: one name, or "mixed".
std::string isa_of(const Survey& s);

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Group, index, cores, pus, memory_bytes, pus_list, cores_list)
void to_json(nlohmann::json& j, const Cache& c);
void from_json(const nlohmann::json& j, Cache& c);

// What reports show (docs/schema/): one rank's placement -- rank, host, isa, isa_available, pus (hwloc
// list string), bound, threads, omp_num_threads_set, threads_given, pinned, pin_note and bindings[], one
// per thread (thread, pus, running_pu, core, numa). `hello` and `run` both print exactly this per rank.
nlohmann::json placement_json(const RankPlacement& r);

// The wire form between ranks (job/gather.cpp) and its inverse: complete, with PU lists as arrays.
nlohmann::json to_json(const HostSummary& h);
nlohmann::json to_json(const RankPlacement& r);
HostSummary host_from_json(const nlohmann::json& j);
RankPlacement placement_from_json(const nlohmann::json& j);

}  // namespace hs::topology
