// exact_leibniz with MPFR (mpfr_digamma, mpfr_const_pi), correctly rounded at every step at 256 bits.
#include "kernels/exact_reference.hpp"

#include <mpfr.h>

#include <bit>
#include <cmath>

namespace hs::kernels {

ExactLeibniz exact_leibniz(std::uint64_t n) {
  constexpr mpfr_prec_t kBits = 256;
  mpfr_t hi, lo, pi;
  mpfr_inits2(kBits, hi, lo, pi, static_cast<mpfr_ptr>(nullptr));
  // N/2 + 3/4 = (2N + 3) / 4 and N/2 + 1/4 = (2N + 1) / 4: exact (2N + 3 < 2^54).
  mpfr_set_ui(hi, static_cast<unsigned long>(2 * n + 3), MPFR_RNDN);
  mpfr_div_2ui(hi, hi, 2, MPFR_RNDN);
  mpfr_set_ui(lo, static_cast<unsigned long>(2 * n + 1), MPFR_RNDN);
  mpfr_div_2ui(lo, lo, 2, MPFR_RNDN);
  mpfr_digamma(hi, hi, MPFR_RNDN);
  mpfr_digamma(lo, lo, MPFR_RNDN);
  mpfr_sub(hi, hi, lo, MPFR_RNDN);
  mpfr_const_pi(pi, MPFR_RNDN);
  if (n % 2 == 0)
    mpfr_sub(pi, pi, hi, MPFR_RNDN);
  else
    mpfr_add(pi, pi, hi, MPFR_RNDN);
  ExactLeibniz out;
  out.rounded = mpfr_get_d(pi, MPFR_RNDN);
  out.method = std::string("MPFR ") + mpfr_get_version() +
               ": pi - (-1)^N (digamma(N/2+3/4) - digamma(N/2+1/4)) at 256 bits, rounded to nearest";
  mpfr_clears(hi, lo, pi, static_cast<mpfr_ptr>(nullptr));
  return out;
}

std::uint64_t ulps_between(double a, double b) noexcept {
  const auto x = std::bit_cast<std::uint64_t>(std::fabs(a)), y = std::bit_cast<std::uint64_t>(std::fabs(b));
  return x > y ? x - y : y - x;
}

}  // namespace hs::kernels
