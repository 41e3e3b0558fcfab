// Google Benchmark's measuring discipline for `hyperslice bench`: grow the iteration count until one
// repetition lasts the minimum time (those calibration runs are the warm-up), then time a number of
// repetitions and keep their median and spread.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "kernels/probes.hpp"

namespace hs::measure {

struct Discipline {
  double min_time = 0.05;  // seconds per repetition
  int repetitions = 5;
};

// Rates (work per second) over the repetitions.
struct Sample {
  double median = 0, min = 0, max = 0;
  int repetitions = 0;
  std::uint64_t iterations = 0;  // per repetition
  std::vector<double> values;    // every repetition's rate, in the order measured (`check`'s significance tests)
  // (max - min) / median: how far apart the repetitions were.
  [[nodiscard]] double spread() const { return median > 0 ? (max - min) / median : 0; }
};

// `run(n)` does n iterations of the work and says how much work it did and in how long.
Sample measure(const std::function<kernels::Timed(std::uint64_t)>& run, const Discipline& d);

}  // namespace hs::measure
