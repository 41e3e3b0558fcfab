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
// Invariants: rank 0 answers every REQUEST (with kNoMoreSlices once there is nothing left or the run
// is stopping), so a worker's outstanding receive always completes; a slice's RESULT is sent at most
// once and counted at most once; a worker that stopped sends nothing more but STOPPED. Every rank
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
inline constexpr std::int64_t kNoMoreSlices = -1;
inline constexpr double kHeartbeatSeconds = 1.0;
// A worker looks for a signal or STOP this often (a clock read between blocks).
inline constexpr double kStopCheckSeconds = 0.005;

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
