// The exact partial sum of the Leibniz series, computed independently of the kernels (for --verify):
// 4·S_N = π − (−1)^N (ψ(N/2 + 3/4) − ψ(N/2 + 1/4)), with MPFR's digamma at 256 bits, then rounded
// to the nearest double. The difference of the two digammas loses about log2(N) bits to cancellation,
// far fewer than the 200 to spare.
#pragma once

#include <cstdint>
#include <string>

namespace hs::kernels {

struct ExactLeibniz {
  double rounded = 0;  // 4·S_N rounded to nearest
  std::string method;  // how it was computed, for reports
};

ExactLeibniz exact_leibniz(std::uint64_t terms);

// Distance between two finite doubles of the same sign in units in the last place (0: same bits).
std::uint64_t ulps_between(double a, double b) noexcept;

}  // namespace hs::kernels
