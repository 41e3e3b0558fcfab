// The hot loop of every kernel, written once over a SIMD batch type and instantiated per ISA in its
// own translation unit (isa_<name>.cpp, compiled with that ISA's flags only). The reference in
// reference_lanes.cpp computes the same IEEE operations lane by lane and is the oracle for this code.
//
// Only + - * / appear here: no fma, no reciprocal approximation, no horizontal add: their results differ
// between instruction sets (docs/reproducibility.md).
#pragma once

#include <cstdint>

#include "kernels/series.hpp"

namespace hs::kernels::detail {

// Arguments of a chunk run: items are terms (leibniz), pairs (leibniz-paired) or octets (leibniz-grouped)
// of terms, or midpoints.
struct ChunkArgs {
  Kernel kernel;
  Accumulation accumulation;
  double h;                  // midpoint step
  std::uint64_t first_item;  // a multiple of 8
  std::uint64_t items;
};

// A ChunkFn (series.hpp) overwrites the lane state when it consumes anything: lane sums start from
// the first group.

std::uint64_t chunks_reference(const ChunkArgs&, LaneState&);  // the oracle: lane by lane, from the index
// The ISAs' chunk loops: run_chunks<Batch> below, reached through kernels/isa_entry.hpp.

// Per item: the value that advances by a constant between a lane's consecutive items, and that step.
//   leibniz: d = 2k+1 (step 16);  paired: a = 4m+1 (step 32);  grouped: a = 16m+1 (step 128);
//   midpoint: i + 1/2 (step 8).
constexpr double item_step(Kernel k) noexcept {
  switch (k) {
    case Kernel::leibniz:
      return 16.0;
    case Kernel::leibniz_paired:
      return 32.0;
    case Kernel::leibniz_grouped:
      return 128.0;
    case Kernel::midpoint:
      return 8.0;
  }
  return 0.0;
}
inline double item_base(Kernel k, std::uint64_t i) noexcept {
  const auto x = static_cast<double>(i);  // exact: i < 2^52
  switch (k) {
    case Kernel::leibniz:
      return 2.0 * x + 1.0;
    case Kernel::leibniz_paired:
      return 4.0 * x + 1.0;
    case Kernel::leibniz_grouped:
      return 16.0 * x + 1.0;
    case Kernel::midpoint:
      return x + 0.5;
  }
  return 0.0;
}
// Numerator per lane: the Leibniz sign, 2 for a pair or an octet, 4 for the midpoint rule.
constexpr double lane_numerator(Kernel k, int lane) noexcept {
  return k == Kernel::leibniz ? ((lane & 1) ? -1.0 : 1.0) : k == Kernel::midpoint ? 4.0 : 2.0;
}
// Terms per item.
constexpr std::uint64_t terms_per_item(Kernel k) noexcept {
  return k == Kernel::leibniz_paired ? 2 : k == Kernel::leibniz_grouped ? 8 : 1;
}

// The term formulas, written once: T is double (the lane-by-lane reference) or a SIMD batch (the hot
// loop). `base` is the item's value from item_base, `num` its lane's numerator, `h` the midpoint step.
template <class T, Kernel K>
inline T term(const T& base, const T& num, const T& h) {
  if constexpr (K == Kernel::leibniz) {
    return num / base;
  } else if constexpr (K == Kernel::leibniz_paired) {
    return num / (base * (base + T(2.0)));
  } else if constexpr (K == Kernel::leibniz_grouped) {
    // Eight terms, one division: 1/a - 1/(a+2) + 1/(a+4) - 1/(a+6) = 2(p+q)/(pq) with p = a(a+2),
    // q = (a+4)(a+6); two such quads (a, a+8) make 2(n1 d2 + n2 d1)/(d1 d2). Every operand is
    // positive, so nothing cancels; a^8 <= 2^424 stays far inside double range (docs/reproducibility.md).
    const T a2 = base + T(2.0), a4 = base + T(4.0), a6 = base + T(6.0);
    const T b = base + T(8.0), b2 = base + T(10.0), b4 = base + T(12.0), b6 = base + T(14.0);
    const T p1 = base * a2, q1 = a4 * a6, p2 = b * b2, q2 = b4 * b6;
    const T d1 = p1 * q1, d2 = p2 * q2;
    return num * ((p1 + q1) * d2 + (p2 + q2) * d1) / (d1 * d2);
  } else {
    const T x = h * base;
    return num / (T(1.0) + x * x);
  }
}

// One item's value from its global index: what the reference and the scalar tail compute.
inline double term_at(Kernel k, std::uint64_t item, int lane, double h) {
  const double base = item_base(k, item), num = lane_numerator(k, lane);
  switch (k) {
    case Kernel::leibniz:
      return term<double, Kernel::leibniz>(base, num, h);
    case Kernel::leibniz_paired:
      return term<double, Kernel::leibniz_paired>(base, num, h);
    case Kernel::leibniz_grouped:
      return term<double, Kernel::leibniz_grouped>(base, num, h);
    case Kernel::midpoint:
      return term<double, Kernel::midpoint>(base, num, h);
  }
  return 0.0;
}

#ifdef HYPERSLICE_ISA_BATCH
// xsimd 8.1 has no scalar architecture: a one-lane "batch" with the same interface, so the scalar ISA
// runs the same template (eight independent register chains) as the vector ones.
struct ScalarBatch {
  static constexpr std::size_t size = 1;
  double v = 0.0;
  ScalarBatch() = default;
  explicit ScalarBatch(double x) : v(x) {}
  static ScalarBatch load_unaligned(const double* p) { return ScalarBatch(*p); }
  void store_unaligned(double* p) const { *p = v; }
  [[nodiscard]] double get(std::size_t) const { return v; }
  friend ScalarBatch operator+(ScalarBatch a, ScalarBatch b) { return ScalarBatch(a.v + b.v); }
  friend ScalarBatch operator-(ScalarBatch a, ScalarBatch b) { return ScalarBatch(a.v - b.v); }
  friend ScalarBatch operator*(ScalarBatch a, ScalarBatch b) { return ScalarBatch(a.v * b.v); }
  friend ScalarBatch operator/(ScalarBatch a, ScalarBatch b) { return ScalarBatch(a.v / b.v); }
};

template <class B, Kernel K, bool Compensated>
std::uint64_t chunk_loop(const ChunkArgs& a, LaneState& st) {
  constexpr int W = static_cast<int>(B::size);
  constexpr int R = kLanes / W;  // registers per canonical 8-lane state
  const std::uint64_t chunks = a.items / (kLanes * kGroup);
  if (chunks == 0) return 0;

  alignas(64) double base0[kLanes];
  alignas(64) double numer[kLanes];
  for (int j = 0; j < kLanes; ++j) {
    base0[j] = item_base(K, a.first_item + j);
    numer[j] = lane_numerator(K, j);
  }
  B base[R], num[R], s[R], c[R];
  B offset[kGroup];
  for (int u = 0; u < kGroup; ++u) offset[u] = B(item_step(K) * u);
  const B step(item_step(K) * kGroup);
  const B h(a.h);
  for (int r = 0; r < R; ++r) {
    base[r] = B::load_unaligned(base0 + r * W);
    num[r] = B::load_unaligned(numer + r * W);
  }
  auto group = [&](int r) {
    B t = term<B, K>(base[r], num[r], h);
    for (int u = 1; u < kGroup; ++u) t = t + term<B, K>(base[r] + offset[u], num[r], h);
    base[r] = base[r] + step;
    return t;
  };
  for (int r = 0; r < R; ++r) {
    s[r] = group(r);
    c[r] = B(0.0);
  }
  for (std::uint64_t i = 1; i < chunks; ++i) {
    for (int r = 0; r < R; ++r) {
      const B t = group(r);
      if constexpr (Compensated) {
        // Fast2Sum: |s| >= |t| because a lane's terms share one sign and shrink.
        const B sum = s[r] + t;
        const B z = sum - s[r];
        c[r] = c[r] + (t - z);
        s[r] = sum;
      } else {
        s[r] = s[r] + t;
      }
    }
  }
  for (int r = 0; r < R; ++r) {
    s[r].store_unaligned(st.sum + r * W);
    c[r].store_unaligned(st.comp + r * W);
  }
  return chunks * kLanes * kGroup;
}

template <class B>
std::uint64_t run_chunks(const ChunkArgs& a, LaneState& st) {
  const bool comp = a.accumulation == Accumulation::compensated;
  switch (a.kernel) {
    case Kernel::leibniz:
      return comp ? chunk_loop<B, Kernel::leibniz, true>(a, st) : chunk_loop<B, Kernel::leibniz, false>(a, st);
    case Kernel::leibniz_paired:
      return comp ? chunk_loop<B, Kernel::leibniz_paired, true>(a, st)
                  : chunk_loop<B, Kernel::leibniz_paired, false>(a, st);
    case Kernel::leibniz_grouped:
      return comp ? chunk_loop<B, Kernel::leibniz_grouped, true>(a, st)
                  : chunk_loop<B, Kernel::leibniz_grouped, false>(a, st);
    case Kernel::midpoint:
      return comp ? chunk_loop<B, Kernel::midpoint, true>(a, st) : chunk_loop<B, Kernel::midpoint, false>(a, st);
  }
  return 0;
}
#endif

}  // namespace hs::kernels::detail
