// Whole sums against mpmath references (tests/data/reference.json): within 1 ulp of the exact partial
// sum for every kernel and N in the table, and the same bits for every supported ISA.
#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "kernels/exact_reference.hpp"
#include "kernels/series.hpp"
#include "reference_data.hpp"

using namespace hs::kernels;
using hs::testing_data::load_reference;
using hs::testing_data::ulps_from_exact;

namespace {

double full_sum(Kernel k, std::uint64_t n, Isa isa) {
  const SeriesKernel sk(k, n, isa);
  ExactAccumulator total;
#pragma omp parallel
  {
    ExactAccumulator local;
#pragma omp for schedule(dynamic)
    for (std::uint64_t b = 0; b < sk.blocks(); ++b) sk.sum_block(b, local);
#pragma omp critical
    total.merge(local);
  }
  return sk.finish(total);
}

// Sanitizer presets set HYPERSLICE_TEST_SCALE below 1 (ASan slows the SIMD loops ~15x): the same checks
// on the table's smaller N only. 1 for every other build.
double test_scale() {
  const char* s = std::getenv("HYPERSLICE_TEST_SCALE");
  const double v = s ? std::atof(s) : 1.0;
  return v > 0 && v < 1 ? v : 1.0;
}

// The largest N checked on every ISA; beyond it only the best ISA runs (time).
const std::uint64_t kAllIsaLimit = static_cast<std::uint64_t>(2e8 * test_scale());
// The largest N checked at all (every N of the table unless scaled down).
const std::uint64_t kLimit = test_scale() < 1 ? static_cast<std::uint64_t>(2e10 * test_scale()) : UINT64_MAX;

}  // namespace

TEST(ReferenceValues, LeibnizKernelsWithinOneUlpOfTheExactPartialSum) {
  for (Kernel k : {Kernel::leibniz, Kernel::leibniz_paired, Kernel::leibniz_grouped}) {
    for (const auto& ref : load_reference("leibniz")) {
      // leibniz at 1e10 terms is ~3 s a core here; the paired kernel covers N = 1e10 at half the cost.
      if ((k == Kernel::leibniz && ref.terms > 2000000000ull) || ref.terms > kLimit) continue;
      const double got = full_sum(k, ref.terms, best_isa());
      EXPECT_LE(ulps_from_exact(got, ref), 1.0)
          << name(k) << " N=" << ref.terms << " got " << hex_double(got) << " want ~" << hex_double(ref.rounded);
      if (ref.terms <= kAllIsaLimit) {
        for (Isa isa : all_isas()) {
          if (!isa_supported(isa)) continue;
          EXPECT_EQ(full_sum(k, ref.terms, isa), got) << name(k) << " N=" << ref.terms << " isa " << name(isa);
        }
      }
    }
  }
}

TEST(ReferenceValues, TheThreeLeibnizKernelsGiveTheSameBits) {
  // Every residue of N mod 8 and mod a chunk, inside and past the precise first terms, and far out.
  for (std::uint64_t n : {1ull, 2ull, 7ull, 8ull, 9ull, 255ull, 1000ull, 65537ull, 1048575ull, 1048576ull, 1048583ull,
                          3000001ull, 12345678ull, 128000000ull, 123456789ull}) {
    const double leibniz = full_sum(Kernel::leibniz, n, best_isa());
    EXPECT_EQ(full_sum(Kernel::leibniz_paired, n, best_isa()), leibniz) << "N=" << n;
    EXPECT_EQ(full_sum(Kernel::leibniz_grouped, n, best_isa()), leibniz) << "N=" << n;
    EXPECT_EQ(full_sum(Kernel::leibniz_grouped, n, Isa::scalar), leibniz) << "N=" << n;
  }
}

TEST(ReferenceValues, MpfrClosedFormAgreesWithMpmathForEveryN) {
  // --verify's exact value (MPFR digamma) against the table made independently with mpmath.
  for (const auto& ref : load_reference("leibniz")) {
    EXPECT_EQ(exact_leibniz(ref.terms).rounded, ref.rounded) << "N=" << ref.terms;
    EXPECT_LE(std::fabs(ref.exact_minus_rounded_ulps), 0.5) << "N=" << ref.terms;  // the table's value is the nearest
  }
  EXPECT_EQ(ulps_between(1.0, std::nextafter(1.0, 2.0)), 1u);
  EXPECT_EQ(ulps_between(3.0, 3.0), 0u);
}

TEST(ReferenceValues, SeedWorkloadIsTheCorrectlyRoundedValue) {
  // The seed's 128 slices x 1,000,000 terms: 3.141592645777293 (its Python loop printed ...273).
  EXPECT_EQ(full_sum(Kernel::leibniz, 128000000, best_isa()), 0x1.921fb5337bd9ep+1);
}

TEST(ReferenceValues, MidpointWithinFourUlpOfTheExactRule) {
  // h = 1/N and x_i = h(i+1/2) are rounded as in MPICH's cpi, so a few ulps of systematic error are
  // inherent to the formula, not to the summation; the bound is 4 ulps.
  for (const auto& ref : load_reference("midpoint")) {
    if (ref.terms > kLimit) continue;
    const double got = full_sum(Kernel::midpoint, ref.terms, best_isa());
    EXPECT_LE(ulps_from_exact(got, ref), 4.0) << "N=" << ref.terms << " got " << hex_double(got);
    for (Isa isa : all_isas()) {
      if (isa_supported(isa)) {
        EXPECT_EQ(full_sum(Kernel::midpoint, ref.terms, isa), got);
      }
    }
  }
}
