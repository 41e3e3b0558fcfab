// A STREAM-like memory bandwidth test (written afresh after McCalpin's STREAM; not STREAM, whose rules
// and name belong to it): a copy c = a and a triad a = b + q c over three arrays of doubles that this
// thread first-touches (so Linux places their pages on its NUMA node), one untimed pass, then the best
// of N timed passes, and the arrays' values checked at the end. Bytes are counted as STREAM counts them
// -- 16 per element for copy, 24 for triad, no write-allocate traffic -- so the numbers compare with
// STREAM's and with likwid-bench's copy/triad "MByte/s" (docs/check.md).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace hs::measure {

struct MemoryResult {
  std::size_t array_bytes = 0;  // each of the three arrays
  int passes = 0;               // timed passes, after one untimed
  double copy = 0, triad = 0;   // bytes/s, best pass
  bool verified = false;        // every element holds what the passes must leave
  std::vector<double> copy_passes, triad_passes;  // bytes/s of every timed pass, in order
};

// Runs on the calling thread (pinned by the caller). `sync` runs before every pass, untimed: the check
// passes an MPI_Barrier so that every rank of the job streams at once, as a run loads a node.
MemoryResult stream_like(std::size_t array_bytes, int passes, const std::function<void()>& sync);

// The array size for a rank: at least 4x its share of the last-level cache (STREAM's rule, per rank), and
// at least 8 MiB.
std::size_t stream_array_bytes(std::size_t llc_bytes, int cores_sharing_llc);

}  // namespace hs::measure
