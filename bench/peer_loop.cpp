// The peer of leibniz-grouped on one ISA: the same algebra per octet of terms, written as a careful
// engineer would write it for speed and nothing else -- one plain sum, no compensation, no canonical
// lanes, `omp simd` -- and compiled once per row of kernels/isa_table.hpp with that row's flags
// (bench/CMakeLists.txt). bench/isa_ceilings.cpp times it beside the kernel: the kernel should never be
// slower than its peer. The index is an int: GCC does not vectorize a 64-bit integer -> double conversion
// on AVX2, an int32 one it does on every x86 ISA (a call covers at most a block, 8192 octets).
#include <cstdint>

extern "C" double HYPERSLICE_PEER_NAME(std::uint64_t first_octet, int octets) {
  double s = 0.0;
  const double a0 = 16.0 * static_cast<double>(first_octet) + 1.0;
#pragma omp simd reduction(+ : s)
  for (int m = 0; m < octets; ++m) {
    const double a = a0 + 16.0 * m;
    const double a2 = a + 2.0, a4 = a + 4.0, a6 = a + 6.0;
    const double b = a + 8.0, b2 = a + 10.0, b4 = a + 12.0, b6 = a + 14.0;
    const double p1 = a * a2, q1 = a4 * a6, p2 = b * b2, q2 = b4 * b6;
    const double d1 = p1 * q1, d2 = p2 * q2;
    s += 2.0 * ((p1 + q1) * d2 + (p2 + q2) * d1) / (d1 * d2);
  }
  return s;
}
