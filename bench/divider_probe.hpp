// Throughput probes, the ceilings the kernels are measured against: the divider (independent divisions
// of varying operands: what binds one or two divisions per term) and the add/multiply ports
// (independent chains of multiplies and adds, no fma: what binds leibniz-grouped, one division per 8
// terms). One template over a SIMD batch, instantiated per width in its own TU.
#pragma once

#include <cstdint>

namespace hs::bench {

// Returns divisions per second (lanes counted) over `iterations` rounds of 8 independent divides.
double probe_scalar(std::uint64_t iterations);
double probe_sse2(std::uint64_t iterations);
double probe_avx2(std::uint64_t iterations);
double probe_avx512(std::uint64_t iterations);
// Returns adds + multiplies per second (lanes counted) over `iterations` rounds of 6 of each.
double addmul_probe_scalar(std::uint64_t iterations);
double addmul_probe_sse2(std::uint64_t iterations);
double addmul_probe_avx2(std::uint64_t iterations);
double addmul_probe_avx512(std::uint64_t iterations);

#ifdef HYPERSLICE_PROBE_BATCH
template <class B>
double probe(std::uint64_t iterations) {
  constexpr int kChains = 8;  // enough independent divisions to cover the divider's latency
  B num[kChains], acc[kChains];
  for (int i = 0; i < kChains; ++i) {
    num[i] = B(1.0 + i);
    acc[i] = B(0.0);
  }
  B d(3.0000001);
  const B inc(1e-9);
  const auto t0 = now();
  for (std::uint64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) acc[i] = acc[i] + num[i] / d;
    d = d + inc;
  }
  const double s = seconds_since(t0);
  B total(0.0);
  for (int i = 0; i < kChains; ++i) total = total + acc[i];
  sink(total.get(0));
  return static_cast<double>(iterations) * kChains * B::size / s;
}

template <class B>
double addmul_probe(std::uint64_t iterations) {
  // 6 multiply and 6 add chains: latency (3-4 cycles) x 2 ports of each, in 12 registers (AVX2 has 16).
  constexpr int kChains = 6;
  B x[kChains], y[kChains];
  for (int i = 0; i < kChains; ++i) {
    x[i] = B(1.0 + i);
    y[i] = B(0.5 * i);
  }
  const B m(1.0000000001), a(1e-9);
  const auto t0 = now();
  for (std::uint64_t it = 0; it < iterations; ++it) {
    for (int i = 0; i < kChains; ++i) {
      x[i] = x[i] * m;
      y[i] = y[i] + a;
    }
  }
  const double s = seconds_since(t0);
  B total(0.0);
  for (int i = 0; i < kChains; ++i) total = total + x[i] + y[i];
  sink(total.get(0));
  return static_cast<double>(iterations) * kChains * 2 * B::size / s;
}
#endif

}  // namespace hs::bench
