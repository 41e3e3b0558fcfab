// make_hierarchy: the groups of the hierarchical schedule (engine/hierarchy.hpp).
#include "engine/hierarchy.hpp"

#include <algorithm>

namespace hs::engine {

std::vector<int> Hierarchy::members(int leader_rank) const {
  std::vector<int> out;
  for (int r = 0; r < static_cast<int>(leader.size()); ++r)
    if (r != leader_rank && leader[static_cast<std::size_t>(r)] == leader_rank) out.push_back(r);
  return out;
}

int Hierarchy::groups() const {
  int n = 0;
  for (int r = 0; r < static_cast<int>(leader.size()); ++r) n += leader[static_cast<std::size_t>(r)] == r ? 1 : 0;
  return n;
}

Hierarchy make_hierarchy(const RunConfig& config, MPI_Comm comm) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  Hierarchy h;
  h.leader.assign(static_cast<std::size_t>(ranks), 0);
  if (config.schedule != Schedule::hierarchical) return h;
  if (config.group_size > 0) {
    for (int r = 0; r < ranks; ++r) h.leader[static_cast<std::size_t>(r)] = r / config.group_size * config.group_size;
    return h;
  }
  // The node's lowest rank leads the node (rank 0 its own node).
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int mine = rank;
  MPI_Allreduce(&rank, &mine, 1, MPI_INT, MPI_MIN, node);
  MPI_Comm_free(&node);
  MPI_Allgather(&mine, 1, MPI_INT, h.leader.data(), 1, MPI_INT, comm);
  return h;
}

}  // namespace hs::engine
