// MPI links two ways. bench_links: round trips between rank 0 and each other rank, one pair at a time
// (OSU's latency and bandwidth idea, a few message sizes): a slow link, a node on the wrong network, shows
// up. bench_link_pattern: every pair under load, after mpiGraph's pattern -- in step k every rank i
// sends to i+k and receives from i-k at once, so every link (and the switch) carries traffic together.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <string>
#include <vector>

namespace hs::measure {

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

// What one rank i measured in step k of the pattern: it sends to `to` = i+k and receives from `from` = i-k.
// The latency is the exchange's (8 bytes each way, one exchange at a time), so it belongs to the pair
// i -> to; the bandwidth is what arrived from `from` (kPatternMessages of 1 MiB posted at once, timed
// until the last one is in), so it belongs to the link from -> i and a slow link slows no other figure.
struct PairLink {
  int to = 0;
  int from = 0;
  double latency = 0;    // seconds per 8-byte exchange, best batch
  double bandwidth = 0;  // bytes/s received from `from`, best batch
  std::vector<double> latency_batches, bandwidth_batches;  // every timed batch's value, in order
};
inline constexpr std::size_t kPatternBytes = std::size_t{1} << 20;
inline constexpr int kPatternMessages = 8;  // of kPatternBytes each way, per bandwidth batch
inline constexpr int kPatternMaxSteps = 32;  // past 33 ranks, this many steps evenly spread over 1..size-1

// The steps measured for `size` ranks: every k in 1..size-1, or kPatternMaxSteps of them spread evenly.
std::vector<int> pattern_steps(int size, int max_steps = kPatternMaxSteps);

// Collective: this rank's measurements, one per step, in step order.
std::vector<PairLink> bench_link_pattern(MPI_Comm comm, int max_steps = kPatternMaxSteps);

}  // namespace hs::measure
