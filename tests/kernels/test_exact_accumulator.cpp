// ExactAccumulator: exactness, order independence and correct rounding, against exact integer sums.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/exact_accumulator.hpp"

using hs::kernels::ExactAccumulator;

namespace {

double sum_of(const std::vector<double>& xs) {
  ExactAccumulator acc;
  for (double x : xs) acc.add(x);
  return acc.round();
}

// Fixed point with lsb 2^-80: exact for the bounded-exponent values the random tests use.
using i128 = __int128;
i128 to_fixed(double x) { return static_cast<i128>(std::ldexp(x, 80)); }

}  // namespace

TEST(ExactAccumulator, EmptyIsZero) {
  ExactAccumulator acc;
  EXPECT_EQ(acc.round(), 0.0);
  EXPECT_TRUE(acc.is_zero());
}

TEST(ExactAccumulator, CancellationAcrossTheWholeRange) {
  EXPECT_EQ(sum_of({1e308, 1e-308, -1e308}), 1e-308);
  EXPECT_EQ(sum_of({0x1p-1074, 1.0, -1.0}), 0x1p-1074);
  EXPECT_EQ(sum_of({1.0, 0x1p-60, -1.0}), 0x1p-60);
  EXPECT_EQ(sum_of({-3.5, 1.25}), -2.25);
}

TEST(ExactAccumulator, RoundsToNearestTiesToEven) {
  const double big = 0x1p53;
  EXPECT_EQ(sum_of({big, 1.0}), big);                  // tie, even stays
  EXPECT_EQ(sum_of({big + 2.0, 1.0}), big + 4.0);      // tie, odd rounds up
  EXPECT_EQ(sum_of({big, 1.0, 0x1p-100}), big + 2.0);  // just above the tie
  EXPECT_EQ(sum_of({big, 1.0, -0x1p-100}), big);       // just below the tie
  EXPECT_EQ(sum_of({-big, -1.0, -0x1p-100}), -big - 2.0);
}

TEST(ExactAccumulator, NonFiniteIsReportedNotHidden) { EXPECT_TRUE(std::isnan(sum_of({1.0, INFINITY, -INFINITY}))); }

TEST(ExactAccumulator, MergeOrderAndLimbRoundTripDoNotChangeBits) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mant(-1.0, 1.0);
  std::uniform_int_distribution<int> ex(-60, 60);
  std::vector<double> xs(20000);
  for (auto& x : xs) x = std::ldexp(mant(rng), ex(rng));
  const double reference = sum_of(xs);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(xs.begin(), xs.end(), rng);
    ExactAccumulator parts[3];
    for (std::size_t i = 0; i < xs.size(); ++i) parts[i % 3].add(xs[i]);
    ExactAccumulator total = ExactAccumulator::from_limbs(parts[2].limbs());
    total.merge(parts[0]);
    total.merge(parts[1]);
    EXPECT_EQ(total.round(), reference);
  }
}

TEST(ExactAccumulator, AgreesWithExactFixedPointSums) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mant(-1.0, 1.0);
  std::uniform_int_distribution<int> ex(-20, 20);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> xs(1 + trial * 10);
    i128 exact = 0;
    for (auto& x : xs) {
      x = std::ldexp(mant(rng), ex(rng));
      exact += to_fixed(x);
    }
    const double r = sum_of(xs);
    // r is within half an ulp of the exact sum, and an exact tie goes to the even neighbour.
    const i128 diff = exact - to_fixed(r);
    const double ulp = std::nextafter(std::fabs(r), INFINITY) - std::fabs(r);
    const i128 half = to_fixed(ulp) / 2;
    const i128 adiff = diff < 0 ? -diff : diff;
    ASSERT_LE(adiff, half) << "trial " << trial;
    if (adiff == half && half != 0) {
      EXPECT_EQ(std::fmod(std::ldexp(r, -std::ilogb(r) + 52), 2.0), 0.0) << "tie not to even";
    }
  }
}

TEST(ExactAccumulator, ManyDepositsTriggerNormalisationWithoutOverflow) {
  ExactAccumulator acc;
  const double x = 0x1.fffffffffffffp+100;
  const long n = (1L << 29) + 12345;  // past the normalisation interval (2^29 deposits)
  for (long i = 0; i < n; ++i) acc.add(x);
  // n copies of x is exactly x*n; both sides are that exact value rounded once.
  EXPECT_EQ(acc.round(), x * static_cast<double>(n));
}
