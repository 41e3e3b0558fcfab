// Who serves whom. Static and dynamic: rank 0 serves every rank. Hierarchical: ranks form groups (the
// ranks of each node, or --group-size consecutive ranks); a group's lowest rank leads it -- takes
// slices from rank 0 in batches, hands them to its group, sends the group's exact results on -- and
// rank 0 leads its own group (engine/protocol.hpp).
#pragma once

#include <mpi.h>

#include <vector>

#include "engine/config.hpp"

namespace hs::engine {

struct Hierarchy {
  std::vector<int> leader;  // by rank: the rank that serves it (0 for rank 0's group; a leader's own rank)

  // A leader other than rank 0.
  [[nodiscard]] bool leads(int rank) const { return rank != 0 && leader[static_cast<std::size_t>(rank)] == rank; }
  // Whom `rank` asks for slices and reports to: its leader, or rank 0 for a leader.
  [[nodiscard]] int boss(int rank) const { return leads(rank) ? 0 : leader[static_cast<std::size_t>(rank)]; }
  // The ranks `leader_rank` serves (not itself).
  [[nodiscard]] std::vector<int> members(int leader_rank) const;
  // Groups, rank 0's included.
  [[nodiscard]] int groups() const;
};

// Collective. One group per `config.group_size` consecutive ranks, or per node (MPI_COMM_TYPE_SHARED)
// when it is 0; everyone in rank 0's group when the schedule is not hierarchical.
Hierarchy make_hierarchy(const RunConfig& config, MPI_Comm comm);

}  // namespace hs::engine
