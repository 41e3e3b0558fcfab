// Whole sums against mpmath references (tests/data/reference.json): within 1 ulp of the exact partial
// sum for every kernel and N in the table, and the same bits for every supported ISA.
#include <gtest/gtest.h>
#include <omp.h>

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

// The largest N checked on every ISA; beyond it only the best ISA runs (time).
constexpr std::uint64_t kAllIsaLimit = 200000000;

}  // namespace

TEST(ReferenceValues, LeibnizKernelsWithinOneUlpOfTheExactPartialSum) {
  for (Kernel k : {Kernel::leibniz, Kernel::leibniz_paired}) {
    for (const auto& ref : load_reference("leibniz")) {
      // leibniz at 1e10 terms is ~3 s a core here; the paired kernel covers N = 1e10 at half the cost.
      if (k == Kernel::leibniz && ref.terms > 2000000000ull) continue;
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

TEST(ReferenceValues, SeedWorkloadIsTheCorrectlyRoundedValue) {
  // The seed's 128 slices x 1,000,000 terms: 3.141592645777293 (its Python loop printed ...273).
  EXPECT_EQ(full_sum(Kernel::leibniz, 128000000, best_isa()), 0x1.921fb5337bd9ep+1);
}

TEST(ReferenceValues, MidpointWithinFourUlpOfTheExactRule) {
  // h = 1/N and x_i = h(i+1/2) are rounded as in MPICH's cpi, so a few ulps of systematic error are
  // inherent to the formula, not to the summation; the bound is 4 ulps.
  for (const auto& ref : load_reference("midpoint")) {
    const double got = full_sum(Kernel::midpoint, ref.terms, best_isa());
    EXPECT_LE(ulps_from_exact(got, ref), 4.0) << "N=" << ref.terms << " got " << hex_double(got);
    for (Isa isa : all_isas()) {
      if (isa_supported(isa)) {
        EXPECT_EQ(full_sum(Kernel::midpoint, ref.terms, isa), got);
      }
    }
  }
}
