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

// Adds, multiplies and divisions (subtractions counted as adds) per chunk of one register: kGroup items,
// their plain group sum, one Fast2Sum, the base step -- what the loop below executes, and what the mix
// probe (kernels/probes.hpp) executes without dependencies to measure this kernel's ceiling.
struct ChunkOps {
  int adds, multiplies, divisions;
};
constexpr ChunkOps chunk_ops(Kernel k) noexcept {
  // per item after the first: the offset add; the group: kGroup - 1 adds; Fast2Sum 4; the step 1
  constexpr int fixed = (kGroup - 1) + (kGroup - 1) + 4 + 1;
  switch (k) {
    case Kernel::leibniz:
      return {fixed, 0, kGroup};
    case Kernel::leibniz_paired:
      return {fixed + kGroup, kGroup, kGroup};  // a + 2; a(a + 2)
    case Kernel::leibniz_grouped:
      // a + 2 ... a + 14 (7), p + q twice and their sum (3); 4 products, 2 of them, 2 cross, 1 denominator
      return {fixed + 10 * kGroup, 9 * kGroup, kGroup};
    case Kernel::midpoint:
      return {fixed + kGroup, 2 * kGroup, kGroup};  // 1 + t t; h x, t t
  }
  return {0, 0, 0};
}

#ifdef HYPERSLICE_ISA_BATCH
// xsimd 8.1 has no scalar architecture: a one-lane "batch" with the same interface, so the scalar ISA
// runs the same template as the vector ones (a lane state is eight one-lane registers).
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

// The hot loop's view of an item: its term as one division x / y, the dividend without the lane
// numerator where the kernel multiplies by it (leibniz-grouped: the lane state is scaled by 2 once, at
// the end of the block, which is exact -- a power of two commutes with every rounding -- so the lane
// values keep the bits of term() above; the tests compare them with the reference, which uses term()).
// `off` is the item's offset from `base` (a multiple of item_step), folded into each constant: every
// base + off + k is an integer (a half-integer for midpoint) below 2^53, so it is exact however it is
// formed, and one add instead of two keeps the chain from base to the division short.
template <Kernel K>
inline constexpr bool kNumeratorAtEnd = K == Kernel::leibniz_grouped;

template <class B, Kernel K>
inline void fraction(const B& base, double off, const B& num, const B& h, B& x, B& y) {
  // base + 0.0 is not foldable (it would turn -0 into +0), so the first item skips that add.
  const auto at = [&](double k) { return off + k == 0.0 ? base : base + B(off + k); };
  if constexpr (K == Kernel::leibniz) {
    x = num;
    y = at(0.0);
  } else if constexpr (K == Kernel::leibniz_paired) {
    x = num;
    y = at(0.0) * at(2.0);
  } else if constexpr (K == Kernel::leibniz_grouped) {
    const B p1 = at(0.0) * at(2.0), q1 = at(4.0) * at(6.0), p2 = at(8.0) * at(10.0), q2 = at(12.0) * at(14.0);
    const B d1 = p1 * q1, d2 = p2 * q2;
    x = (p1 + q1) * d2 + (p2 + q2) * d1;
    y = d1 * d2;
  } else {
    const B t = h * at(0.0);
    x = num;
    y = B(1.0) + t * t;
  }
}

// Register states run through the block together: two where the vector holds fewer than eight lanes.
// Measured on Ice Lake (leibniz-grouped): two beat one and four on scalar code and SSE2 and matched them
// on AVX2; all of them at once, as before, spilled and ran 10-30% slower.
template <class B>
inline constexpr int kStatesTogether = kLanes / static_cast<int>(B::size) >= 2 ? 2 : 1;

// Each canonical lane sums its items exactly as chunks_reference does: per chunk t = ((q0 + q1) + q2)
// + q3, then Fast2Sum into (s, c) -- starting from s = c = 0, which gives the first chunk's s = t, c = 0
// bit for bit. Only the order in which the CPU meets those operations changes: the loop is software-
// pipelined, forming the next chunk's dividends and divisors while this chunk's are divided and summed,
// so each division's operands are ready when it issues and the out-of-order window holds independent
// work rather than chains waiting on the divider (issue 25: 47-59% of the ceiling before on Zen 4).
template <class B, Kernel K, bool Compensated>
std::uint64_t chunk_loop(const ChunkArgs& a, LaneState& st) {
  constexpr int W = static_cast<int>(B::size);
  constexpr int R = kLanes / W;  // registers per canonical 8-lane state
  constexpr int S = kStatesTogether<B>;
  const std::uint64_t chunks = a.items / (kLanes * kGroup);
  if (chunks == 0) return 0;

  alignas(64) double base0[kLanes];
  alignas(64) double numer[kLanes];
  for (int j = 0; j < kLanes; ++j) {
    base0[j] = item_base(K, a.first_item + j);
    numer[j] = lane_numerator(K, j);
  }
  const B step(item_step(K) * kGroup);
  const B h(a.h);
  for (int r0 = 0; r0 < R; r0 += S) {
    B base[S], num[S], s[S], c[S], x[S][kGroup], y[S][kGroup];
    const auto form_next = [&](int k) {  // the fractions of register k's next chunk
      for (int u = 0; u < kGroup; ++u) fraction<B, K>(base[k], item_step(K) * u, num[k], h, x[k][u], y[k][u]);
      base[k] = base[k] + step;
    };
    for (int k = 0; k < S; ++k) {
      base[k] = B::load_unaligned(base0 + (r0 + k) * W);
      num[k] = B::load_unaligned(numer + (r0 + k) * W);
      s[k] = c[k] = B(0.0);
      form_next(k);
    }
    // The last round forms one chunk past the block's end and drops it: finite values, never summed.
    for (std::uint64_t i = 0; i < chunks; ++i) {
      for (int k = 0; k < S; ++k) {
        B q[kGroup];
        for (int u = 0; u < kGroup; ++u) q[u] = x[k][u] / y[k][u];
        form_next(k);
        B t = q[0];
        for (int u = 1; u < kGroup; ++u) t = t + q[u];
        if constexpr (Compensated) {
          // Fast2Sum: |s| >= |t| because a lane's terms share one sign and shrink (from s = 0 it is exact
          // trivially).
          const B sum = s[k] + t;
          const B z = sum - s[k];
          c[k] = c[k] + (t - z);
          s[k] = sum;
        } else {
          s[k] = s[k] + t;
        }
      }
    }
    for (int k = 0; k < S; ++k) {
      if constexpr (kNumeratorAtEnd<K>) {
        s[k] = s[k] * num[k];
        c[k] = c[k] * num[k];
      }
      s[k].store_unaligned(st.sum + (r0 + k) * W);
      c[k].store_unaligned(st.comp + (r0 + k) * W);
    }
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
