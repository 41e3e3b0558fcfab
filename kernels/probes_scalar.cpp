// The probes for scalar double arithmetic (compiled without auto-vectorisation).
#include "kernels/probes.hpp"

namespace hs::kernels {
using namespace probe_detail;

Timed probe_scalar(std::uint64_t iterations) {
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
  return {static_cast<double>(iterations) * kChains, s};
}

Timed addmul_probe_scalar(std::uint64_t iterations) {
  constexpr int kChains = 6;
  double x[kChains], y[kChains];
  for (int i = 0; i < kChains; ++i) {
    x[i] = 1.0 + i;
    y[i] = 0.5 * i;
  }
  const auto t0 = now();
  for (std::uint64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) {
      x[i] = x[i] * 1.0000000001;
      y[i] = y[i] + 1e-9;
    }
  }
  const double s = seconds_since(t0);
  double total = 0;
  for (int i = 0; i < kChains; ++i) total += x[i] + y[i];
  sink(total);
  return {static_cast<double>(iterations) * kChains * 2, s};
}

}  // namespace hs::kernels
