// Divider probe for scalar double division.
#include "bench/clock.hpp"
#include "bench/divider_probe.hpp"

namespace hs::bench {

double probe_scalar(std::uint64_t iterations) {
  constexpr int kChains = 8;
  double num[kChains], acc[kChains];
  for (int i = 0; i < kChains; ++i) {
    num[i] = 1.0 + i;
    acc[i] = 0.0;
  }
  double d = 3.0000001;
  const auto t0 = now();
  for (std::uint64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) acc[i] = acc[i] + num[i] / d;
    d = d + 1e-9;
  }
  const double s = seconds_since(t0);
  double total = 0;
  for (double a : acc) total += a;
  sink(total);
  return static_cast<double>(iterations) * kChains / s;
}

}  // namespace hs::bench
