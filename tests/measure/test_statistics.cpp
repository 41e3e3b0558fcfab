// compare's significance test against SciPy's own documented values: scipy.stats.mannwhitneyu's example
// (the ages of male and female staff, docs.scipy.org, scipy.stats.mannwhitneyu) gives U1 = 17 and a
// two-sided p of 0.1111111111111111 exact, 0.11134688653314041 by the normal approximation; and the
// smallest p-values the exact test can reach at compare's sample sizes.
#include <gtest/gtest.h>

#include "measure/statistics.hpp"

using hs::measure::mann_whitney_u;

TEST(MannWhitneyU, MatchesScipysDocumentedExample) {
  const std::vector<double> males = {19, 22, 16, 29, 24}, females = {20, 11, 17, 12};
  const auto exact = mann_whitney_u(males, females);
  ASSERT_TRUE(exact);
  EXPECT_TRUE(exact->exact);
  EXPECT_DOUBLE_EQ(exact->u, 17);
  EXPECT_NEAR(exact->p, 0.1111111111111111, 1e-12);
  const auto normal = mann_whitney_u(males, females, false);
  ASSERT_TRUE(normal);
  EXPECT_FALSE(normal->exact);
  EXPECT_NEAR(normal->p, 0.11134688653314041, 1e-12);
  // Symmetric: the other sample first gives the other U and the same p.
  const auto swapped = mann_whitney_u(females, males);
  EXPECT_DOUBLE_EQ(swapped->u, 3);
  EXPECT_NEAR(swapped->p, exact->p, 1e-15);
}

TEST(MannWhitneyU, TheSmallestExactPValuesAtCompareSampleSizes) {
  // Completely separated samples: p = 2 / C(n1 + n2, n1).
  EXPECT_NEAR(mann_whitney_u({1, 2, 3}, {4, 5, 6})->p, 2.0 / 20, 1e-15);  // 3 repetitions: never below 0.05
  EXPECT_NEAR(mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10})->p, 2.0 / 252, 1e-15);
  EXPECT_NEAR(mann_whitney_u({6, 7, 8, 9, 10, 11}, {1, 2, 3, 4, 5, 0})->p, 2.0 / 924, 1e-15);
  // Identical samples: nothing to see (ties: the approximation, with its tie correction).
  const auto same = mann_whitney_u({1, 2, 3, 4}, {1, 2, 3, 4});
  EXPECT_FALSE(same->exact);
  EXPECT_NEAR(same->p, 1.0, 1e-12);
  EXPECT_FALSE(mann_whitney_u({}, {1, 2}));
}

TEST(MannWhitneyU, LargeSamplesUseTheApproximation) {
  std::vector<double> a, b;
  for (int i = 0; i < 10; ++i) a.push_back(i), b.push_back(i + 10);
  const auto t = mann_whitney_u(a, b);
  EXPECT_FALSE(t->exact);
  EXPECT_DOUBLE_EQ(t->u, 0);
  EXPECT_LT(t->p, 0.001);  // z = (100 - 50 - 0.5) / sqrt(175) = 3.74
  EXPECT_GT(t->p, 0.0001);
}

TEST(Median, OfOddEvenAndNone) {
  EXPECT_DOUBLE_EQ(hs::measure::median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(hs::measure::median({4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(hs::measure::median({}), 0);
}
