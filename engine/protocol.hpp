// The master/worker message protocol of `run` (point-to-point, on the run's communicator).
//
//   tag       direction     payload                       meaning
//   REQUEST   worker -> 0   int64 (unused)                dynamic schedule: "give me a slice"
//   REPLY     0 -> worker   int64 slice, or kNoMoreSlices the answer to one REQUEST
//   RESULT    worker -> 0   ResultMsg                     a finished slice's exact sum (limbs)
//   HEARTBEAT worker -> 0   int64 (unused)                every kHeartbeatSeconds while computing
//   STOP      0 -> worker   int64 signal                  the run was interrupted: stop computing
//   STOPPED   worker -> 0   int64 signal                  this worker stopped (its current slice dropped)
//
// The hierarchical schedule adds a layer: a group's lowest rank, its leader, is rank 0's client and
// the boss of its group's other ranks, which run the worker side above with the leader in rank 0's
// place (REQUEST, REPLY, RESULT, HEARTBEAT, STOP, STOPPED). Rank 0 serves its own group directly.
//
//   BATCH_REQUEST leader -> 0  int64 (unused)             "give me slices" (one in flight at a time)
//   BATCH         0 -> leader  int64[k] slices, or        up to k slices (k shrinks near the end), or
//                              {kNoMoreSlices}            nothing left / the run is stopping
//   RESULTS       leader -> 0  n x ResultMsg              finished slices of the group, exact limbs
//   LOST          leader -> 0  int64[2] rank, silent ms   a member of the group fell silent
//   LEADER_DONE   leader -> 0  int64 signal or 0          the group is finished (or stopped): last message
//
// Invariants: rank 0 answers every REQUEST (with kNoMoreSlices once there is nothing left or the run
// is stopping), so a worker's outstanding receive always completes, and a leader answers its members'
// the same way; a slice's RESULT is sent at most once and counted at most once; a worker that stopped
// sends nothing more but STOPPED; a leader sends every result it holds before LEADER_DONE. Every rank
// then leaves through one broadcast from rank 0 (0, or the signal that stopped the run).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "kernels/exact_accumulator.hpp"

namespace hs::engine::protocol {

inline constexpr int kTagRequest = 1;
inline constexpr int kTagReply = 2;
inline constexpr int kTagResult = 3;
inline constexpr int kTagHeartbeat = 4;
inline constexpr int kTagStop = 5;
inline constexpr int kTagStopped = 6;
inline constexpr int kTagBatchRequest = 7;
inline constexpr int kTagBatch = 8;
inline constexpr int kTagResults = 9;
inline constexpr int kTagLost = 10;
inline constexpr int kTagLeaderDone = 11;
inline constexpr std::int64_t kNoMoreSlices = -1;
inline constexpr double kHeartbeatSeconds = 1.0;
// A worker looks for a signal or STOP this often (a clock read between blocks).
inline constexpr double kStopCheckSeconds = 0.005;
// A leader holds its group's results at most this long before sending them on to rank 0.
inline constexpr double kLeaderFlushSeconds = 0.02;

// One finished slice: index, non-finite flag, normalised limbs.
using ResultMsg = std::array<std::int64_t, kernels::ExactAccumulator::kLimbs + 2>;

inline ResultMsg pack(std::uint64_t slice, const kernels::ExactAccumulator& acc) {
  ResultMsg m{};
  m[0] = static_cast<std::int64_t>(slice);
  m[1] = acc.nonfinite() ? 1 : 0;
  const auto limbs = acc.limbs();
  std::copy(limbs.begin(), limbs.end(), m.begin() + 2);
  return m;
}

inline kernels::ExactAccumulator unpack(const ResultMsg& m) {
  kernels::ExactAccumulator::Limbs limbs{};
  std::copy(m.begin() + 2, m.end(), limbs.begin());
  return kernels::ExactAccumulator::from_limbs(limbs, m[1] != 0);
}

}  // namespace hs::engine::protocol
