// Plan: slices tile the block grid exactly once, balanced to within one block, for any counts.
#include <gtest/gtest.h>

#include "engine/plan.hpp"
#include "kernels/series.hpp"

using hs::engine::BlockRange;
using hs::engine::Plan;
using hs::kernels::kBlockTerms;

TEST(Plan, SlicesTileTheBlocksOnceAndBalanced) {
  for (std::uint64_t terms : {1ull, 65535ull, 65536ull, 65537ull, 128000000ull, 10000000000ull}) {
    for (std::uint64_t slices : {1ull, 3ull, 7ull, 50ull, 128ull, 1000ull}) {
      if (slices > terms) continue;
      const Plan p(terms, slices);
      EXPECT_EQ(p.blocks(), (terms + kBlockTerms - 1) / kBlockTerms);
      std::uint64_t next = 0, lo = UINT64_MAX, hi = 0;
      for (std::uint64_t s = 0; s < slices; ++s) {
        const BlockRange r = p.slice_blocks(s);
        EXPECT_EQ(r.begin, next);
        next = r.end;
        lo = std::min(lo, r.size());
        hi = std::max(hi, r.size());
      }
      EXPECT_EQ(next, p.blocks());
      EXPECT_LE(hi - lo, 1u) << terms << " terms, " << slices << " slices";
    }
  }
}

TEST(Plan, StaticRankSharesAreContiguousAndCoverAll) {
  const Plan p(128000000, 128);
  for (int ranks : {1, 2, 3, 5, 200}) {
    std::uint64_t next_slice = 0, next_block = 0;
    for (int r = 0; r < ranks; ++r) {
      const BlockRange s = p.rank_slices(r, ranks);
      EXPECT_EQ(s.begin, next_slice);
      next_slice = s.end;
      const BlockRange b = p.rank_blocks(r, ranks);
      if (s.size() > 0) {
        EXPECT_EQ(b.begin, next_block);
        next_block = b.end;
      } else {
        EXPECT_EQ(b.size(), 0u);
      }
    }
    EXPECT_EQ(next_slice, 128u);
    EXPECT_EQ(next_block, p.blocks());
  }
}
