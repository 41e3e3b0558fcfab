// MPI round trips between rank 0 and each other rank, one pair at a time (OSU's latency and bandwidth
// idea, a few message sizes): a slow link, a node on the wrong network, shows up.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <string>
#include <vector>

namespace hs::perf {

struct LinkPoint {
  std::size_t bytes = 0;
  double one_way_seconds = 0;          // half the best round trip
  double bandwidth = 0;                // bytes / one_way_seconds
};

struct Link {
  int peer = 0;
  std::vector<LinkPoint> points;       // by size
};

// The sizes measured: 8 B (latency) to 4 MiB (bandwidth).
const std::vector<std::size_t>& link_sizes();

// Collective. Rank 0 returns one Link per other rank; the others return nothing.
std::vector<Link> bench_links(MPI_Comm comm);

}  // namespace hs::perf
