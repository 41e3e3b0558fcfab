// Throughput probes, the ceilings the kernels are measured against: the divider (independent divisions
// of varying operands: what binds one or two divisions per term), the add/multiply ports (independent
// chains of multiplies and adds, no fma: what binds leibniz-grouped, one division per 8 terms), and a
// kernel's own mix (its divisions, adds and multiplies per chunk, kernels/lane_loop.hpp's chunk_ops,
// in independent chains: the rate no ordering of that work can beat on this core, whether adds and
// multiplies share pipes or not and whatever the divider takes from them). One template over a SIMD
// batch, instantiated per ISA in its own TU (kernels/isa_<name>.cpp).
//
// `hyperslice bench` (measure/) and the developers' Google Benchmark binary (bench/) both measure against them.
#pragma once

#include <chrono>
#include <cstdint>

#include "kernels/series.hpp"

namespace hs::kernels {

// Operations done (lanes counted) and the seconds they took.
struct Timed {
  double work = 0;
  double seconds = 0;
};

// `iterations` rounds of 8 independent divides (work: divisions), or of 6 multiplies and 6 adds (work:
// adds + multiplies), at the width of `isa` (which the CPU must support).
Timed divider_probe(Isa isa, std::uint64_t iterations);
Timed addmul_probe(Isa isa, std::uint64_t iterations);
// `iterations` chunks of kernel k's operations at the width of `isa` (work: the terms they stand for).
Timed mix_probe(Isa isa, Kernel k, std::uint64_t iterations);

// Divisions, and adds + multiplies, per term of each kernel's compensated hot loop (chunk_ops in
// kernels/lane_loop.hpp): what turns a probe's rate into a ceiling in terms/s.
double divisions_per_term(Kernel k) noexcept;
double addmul_per_term(Kernel k) noexcept;

// The binding ceiling of kernel k on isa given the probes' rates: min(divider / divisions per term,
// add-multiply / adds+multiplies per term) terms/s, and which of the two it is.
struct Ceiling {
  double terms_per_second = 0;
  bool divider_bound = true;
};
Ceiling ceiling(Kernel k, double divider_rate, double addmul_rate) noexcept;

namespace probe_detail {
using Clock = std::chrono::steady_clock;
inline Clock::time_point now() { return Clock::now(); }
inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
inline void sink(double x) {
  asm volatile("" : : "x"(x));  // keep the result alive
}
}  // namespace probe_detail

#ifdef HYPERSLICE_ISA_BATCH
}  // namespace hs::kernels
#include "kernels/lane_loop.hpp"  // detail::chunk_ops, terms_per_item
namespace hs::kernels {
using probe_detail::now;
using probe_detail::seconds_since;
using probe_detail::sink;

template <class B>
Timed probe(std::uint64_t iterations) {
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
  return {static_cast<double>(iterations) * kChains * B::size, s};
}

template <class B>
Timed addmul_probe(std::uint64_t iterations) {
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
  return {static_cast<double>(iterations) * kChains * 2 * B::size, s};
}

// Kernel K's chunk of one register -- its divisions, adds and multiplies (detail::chunk_ops) -- with no
// dependency but short chains: 7 add and 7 multiply chains (with the divisor and a quotient, 16
// registers), long enough apart for 4-cycle latencies on two pipes of each; adds and multiplies
// interleaved in program order as in the kernel, each quotient added into an add chain as the kernel's
// group sum does. Work: the terms the chunk stands for.
template <class B, Kernel K>
Timed mix_probe(std::uint64_t iterations) {
  constexpr detail::ChunkOps ops = detail::chunk_ops(K);
  constexpr int kAddChains = 7, kMulChains = 7;
  constexpr int kSteps = ops.adds > ops.multiplies ? ops.adds : ops.multiplies;
  B x[kMulChains], y[kAddChains];
  for (int i = 0; i < kMulChains; ++i) x[i] = B(1.0 + i);
  for (int i = 0; i < kAddChains; ++i) y[i] = B(0.5 * i);
  B d(3.0000001);
  const B m(1.0000000001), a(1e-9);
  const auto t0 = now();
  for (std::uint64_t it = 0; it < iterations; ++it) {
    // The last add is the divisor's step (the kernel's base step). Unrolled whole, so that every chain
    // stays in a register.
#pragma GCC unroll 128
    for (int i = 0; i < kSteps; ++i) {
      if (i < ops.divisions) {
        y[i % kAddChains] = y[i % kAddChains] + B(1.0 + i) / d;
      } else if (i < ops.adds - 1) {
        y[i % kAddChains] = y[i % kAddChains] + a;
      }
      if (i < ops.multiplies) x[i % kMulChains] = x[i % kMulChains] * m;
    }
    d = d + a;
  }
  const double s = seconds_since(t0);
  B total(0.0);
  for (int i = 0; i < kMulChains; ++i) total = total + x[i];
  for (int i = 0; i < kAddChains; ++i) total = total + y[i];
  sink(total.get(0));
  return {static_cast<double>(iterations) * kGroup * static_cast<double>(detail::terms_per_item(K)) * B::size, s};
}
template <class B>
Timed mix_probe(Kernel k, std::uint64_t iterations) {
  switch (k) {
    case Kernel::leibniz:
      return mix_probe<B, Kernel::leibniz>(iterations);
    case Kernel::leibniz_paired:
      return mix_probe<B, Kernel::leibniz_paired>(iterations);
    case Kernel::leibniz_grouped:
      return mix_probe<B, Kernel::leibniz_grouped>(iterations);
    case Kernel::midpoint:
      return mix_probe<B, Kernel::midpoint>(iterations);
  }
  return {};
}
#endif

}  // namespace hs::kernels
