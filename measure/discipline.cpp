#include "measure/discipline.hpp"

#include <algorithm>
#include <vector>

namespace hs::measure {

Sample measure(const std::function<kernels::Timed(std::uint64_t)>& run, const Discipline& d) {
  // Calibration, as Google Benchmark does: grow n (at most 10x a step, with 40% headroom) until one
  // run lasts min_time. These runs also warm the caches, the branch predictors and the clock.
  std::uint64_t n = 1;
  for (;;) {
    const kernels::Timed t = run(n);
    if (t.seconds >= d.min_time || n >= (std::uint64_t{1} << 40)) break;
    const double factor = t.seconds > 0 ? std::clamp(1.4 * d.min_time / t.seconds, 2.0, 10.0) : 10.0;
    n = static_cast<std::uint64_t>(static_cast<double>(n) * factor);
  }
  std::vector<double> rates;
  for (int r = 0; r < std::max(1, d.repetitions); ++r) {
    const kernels::Timed t = run(n);
    rates.push_back(t.seconds > 0 ? t.work / t.seconds : 0);
  }
  Sample s;
  s.values = rates;
  std::sort(rates.begin(), rates.end());
  const std::size_t k = rates.size();
  s.median = k % 2 ? rates[k / 2] : (rates[k / 2 - 1] + rates[k / 2]) / 2;
  s.min = rates.front();
  s.max = rates.back();
  s.repetitions = static_cast<int>(k);
  s.iterations = n;
  return s;
}

}  // namespace hs::measure
