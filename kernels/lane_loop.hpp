// The hot loop of every kernel, written once over a SIMD batch type and instantiated per ISA in its
// own translation unit (lanes_<isa>.cpp, compiled with that ISA's flags only). The scalar reference in
// lanes_scalar.cpp computes the same IEEE operations lane by lane and is the oracle for this code.
//
// Only + - * / appear here: no fma, no reciprocal approximation, no horizontal add (DESIGN.md).
#pragma once

#include <cstdint>

#include "kernels/series.hpp"

namespace hs::kernels::detail {

// Arguments of a chunk run: items are terms (leibniz), pairs of terms (leibniz-paired) or midpoints.
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
std::uint64_t chunks_scalar(const ChunkArgs&, LaneState&);     // the template over ScalarBatch
std::uint64_t chunks_sse2(const ChunkArgs&, LaneState&);
std::uint64_t chunks_avx2(const ChunkArgs&, LaneState&);
std::uint64_t chunks_avx512(const ChunkArgs&, LaneState&);

// Per item: the value that advances by a constant between a lane's consecutive items, and that step.
//   leibniz: d = 2k+1 (step 16);  paired: a = 4m+1 (step 32);  midpoint: i + 1/2 (step 8).
constexpr double item_step(Kernel k) noexcept {
  return k == Kernel::leibniz ? 16.0 : k == Kernel::leibniz_paired ? 32.0 : 8.0;
}
inline double item_base(Kernel k, std::uint64_t i) noexcept {
  const auto x = static_cast<double>(i);  // exact: i < 2^52
  return k == Kernel::leibniz ? 2.0 * x + 1.0 : k == Kernel::leibniz_paired ? 4.0 * x + 1.0 : x + 0.5;
}
// Numerator per lane: the Leibniz sign, 2 for a pair, 4 for the midpoint rule.
constexpr double lane_numerator(Kernel k, int lane) noexcept {
  return k == Kernel::leibniz ? ((lane & 1) ? -1.0 : 1.0) : k == Kernel::leibniz_paired ? 2.0 : 4.0;
}

// The term formulas, written once: T is double (the lane-by-lane reference) or a SIMD batch (the hot
// loop). `base` is the item's value from item_base, `num` its lane's numerator, `h` the midpoint step.
template <class T, Kernel K>
inline T term(const T& base, const T& num, const T& h) {
  if constexpr (K == Kernel::leibniz) {
    return num / base;
  } else if constexpr (K == Kernel::leibniz_paired) {
    return num / (base * (base + T(2.0)));
  } else {
    const T x = h * base;
    return num / (T(1.0) + x * x);
  }
}

#ifdef HYPERSLICE_LANE_LOOP_BATCH
// xsimd 8.1 has no scalar architecture: a one-lane "batch" with the same interface, so the scalar ISA
// runs the same template (eight independent register chains) as the vector ones.
struct ScalarBatch {
  static constexpr std::size_t size = 1;
  double v = 0.0;
  ScalarBatch() = default;
  explicit ScalarBatch(double x) : v(x) {}
  static ScalarBatch load_unaligned(const double* p) { return ScalarBatch(*p); }
  void store_unaligned(double* p) const { *p = v; }
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
    case Kernel::midpoint:
      return comp ? chunk_loop<B, Kernel::midpoint, true>(a, st) : chunk_loop<B, Kernel::midpoint, false>(a, st);
  }
  return 0;
}
#endif

}  // namespace hs::kernels::detail
