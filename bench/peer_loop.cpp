// The peers of the series kernels on one ISA: each kernel's algebra per item, written as a careful
// engineer would write it for speed and nothing else -- one plain sum, no compensation, no canonical
// lanes, `omp simd`, constant factors hoisted out of the loop -- and compiled once per row of
// kernels/isa_table.hpp with that row's flags (bench/CMakeLists.txt). bench/isa_ceilings.cpp times them
// beside the kernels: a kernel should never be slower than its peer. Each loop's index is an int: GCC
// does not vectorize a 64-bit integer -> double conversion on AVX2, an int32 one it does on every x86 ISA
// (a call covers at most a block, 65,536 terms). Each returns the sum of `terms` terms from `first_term`
// (a multiple of 8) without its constant factor.
#include <cstdint>

#define HYPERSLICE_PEER_CAT2(a, b) a##_##b
#define HYPERSLICE_PEER_CAT(a, b) HYPERSLICE_PEER_CAT2(a, b)
#define HYPERSLICE_PEER(kernel) HYPERSLICE_PEER_CAT(peer_##kernel, HYPERSLICE_PEER_ISA)

// leibniz: one division per term, the signs paired: 1/a - 1/(a+2) with a = 4m+1.
extern "C" double HYPERSLICE_PEER(leibniz)(std::uint64_t first_term, int terms) {
  double s = 0.0;
  const double a0 = 2.0 * static_cast<double>(first_term) + 1.0;
#pragma omp simd reduction(+ : s)
  for (int m = 0; m < terms / 2; ++m) {
    const double a = a0 + 4.0 * m;
    s += 1.0 / a - 1.0 / (a + 2.0);
  }
  return s;
}

// leibniz-paired: 1/(a(a+2)) per pair, the factor 2 hoisted.
extern "C" double HYPERSLICE_PEER(leibniz_paired)(std::uint64_t first_term, int terms) {
  double s = 0.0;
  const double a0 = 2.0 * static_cast<double>(first_term) + 1.0;
#pragma omp simd reduction(+ : s)
  for (int m = 0; m < terms / 2; ++m) {
    const double a = a0 + 4.0 * m;
    s += 1.0 / (a * (a + 2.0));
  }
  return s;
}

// leibniz-grouped: eight terms, one division (kernels/lane_loop.hpp), the factor 2 hoisted.
extern "C" double HYPERSLICE_PEER(leibniz_grouped)(std::uint64_t first_term, int terms) {
  double s = 0.0;
  const double a0 = 2.0 * static_cast<double>(first_term) + 1.0;
#pragma omp simd reduction(+ : s)
  for (int m = 0; m < terms / 8; ++m) {
    const double a = a0 + 16.0 * m;
    const double a2 = a + 2.0, a4 = a + 4.0, a6 = a + 6.0;
    const double b = a + 8.0, b2 = a + 10.0, b4 = a + 12.0, b6 = a + 14.0;
    const double p1 = a * a2, q1 = a4 * a6, p2 = b * b2, q2 = b4 * b6;
    const double d1 = p1 * q1, d2 = p2 * q2;
    s += ((p1 + q1) * d2 + (p2 + q2) * d1) / (d1 * d2);
  }
  return s;
}

// midpoint: 1/(1 + x^2) at x = (i + 1/2) h, the factor 4 hoisted; h = 2^-46 (the bench's N).
extern "C" double HYPERSLICE_PEER(midpoint)(std::uint64_t first_term, int terms) {
  double s = 0.0;
  const double h = 1.0 / 70368744177664.0;
  const double x0 = static_cast<double>(first_term) + 0.5;
#pragma omp simd reduction(+ : s)
  for (int i = 0; i < terms; ++i) {
    const double x = h * (x0 + i);
    s += 1.0 / (1.0 + x * x);
  }
  return s;
}
