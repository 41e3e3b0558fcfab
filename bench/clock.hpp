// Timing helpers shared by the probe translation units.
#pragma once

#include <chrono>

namespace hs::bench {
using Clock = std::chrono::steady_clock;
inline Clock::time_point now() { return Clock::now(); }
inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
inline void sink(double x) {
  asm volatile("" : : "x"(x));  // keep the result alive
}
}  // namespace hs::bench
