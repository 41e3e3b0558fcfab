// SliceSet and the static shares: ranges merge, the complement and shares tile what is left, against
// a plain per-slice model on small cases.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "engine/slice_set.hpp"

using hs::engine::SliceRange;
using hs::engine::SliceSet;
using hs::engine::static_share;

TEST(SliceSet, MergesAndCountsLikeAPlainSet) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    SliceSet set;
    std::set<std::uint64_t> model;
    for (int i = 0; i < 30; ++i) {
      const std::uint64_t a = rng() % 60, len = rng() % 5;
      set.insert(SliceRange{a, a + len});
      for (std::uint64_t s = a; s < a + len; ++s) model.insert(s);
    }
    EXPECT_EQ(set.count(), model.size());
    for (std::uint64_t s = 0; s < 70; ++s) {
      EXPECT_EQ(set.contains(s), model.count(s) == 1) << s;
      std::uint64_t m = s;
      while (model.count(m)) ++m;
      EXPECT_EQ(set.next_missing(s), m);
    }
    const auto ranges = set.ranges();
    for (std::size_t i = 1; i < ranges.size(); ++i) EXPECT_LT(ranges[i - 1].end, ranges[i].begin);  // minimal
    std::uint64_t left = 0;
    for (const auto& r : set.complement(64)) {
      for (std::uint64_t s = r.begin; s < r.end; ++s) EXPECT_FALSE(model.count(s));
      left += r.size();
    }
    std::uint64_t below = 0;
    for (auto s : model) below += s < 64 ? 1 : 0;
    EXPECT_EQ(left, 64 - below);
  }
}

TEST(SliceSet, AMillionSlicesDoneInOrderIsOneRange) {
  SliceSet set;
  for (std::uint64_t s = 0; s < 1000000; ++s) set.insert(s);
  EXPECT_EQ(set.range_count(), 1u);
  EXPECT_EQ(set.count(), 1000000u);
}

TEST(StaticShare, SharesAreContiguousBalancedAndCoverAll) {
  const std::vector<SliceRange> left{{0, 3}, {5, 6}, {9, 20}, {30, 31}};  // 16 slices
  for (int ranks : {1, 2, 3, 5, 16, 40}) {
    std::vector<std::uint64_t> seen;
    std::uint64_t lo = UINT64_MAX, hi = 0;
    for (int r = 0; r < ranks; ++r) {
      std::uint64_t n = 0;
      for (const auto& part : static_share(left, r, ranks))
        for (std::uint64_t s = part.begin; s < part.end; ++s, ++n) seen.push_back(s);
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    std::vector<std::uint64_t> all;
    for (const auto& part : left)
      for (std::uint64_t s = part.begin; s < part.end; ++s) all.push_back(s);
    EXPECT_EQ(seen, all) << ranks << " ranks";  // in order, each once
    EXPECT_LE(hi - lo, 1u);
  }
}
