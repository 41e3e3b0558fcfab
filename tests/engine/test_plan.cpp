// Plan: slices tile the block grid exactly once, balanced to within one block, for any counts.
#include <gtest/gtest.h>

#include "engine/plan.hpp"
#include "kernels/series.hpp"

using hs::engine::BlockRange;
using hs::engine::Plan;
using hs::engine::SliceRange;
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

TEST(Plan, EmptySlicesAreFoundInConstantTimeAndMatchTheBlocks) {
  // More slices than blocks (the empty ones), fewer, and equal; checked slice by slice.
  for (std::uint64_t terms : {1ull, 65537ull, 3000001ull, 20ull * kBlockTerms}) {
    for (std::uint64_t slices : {1ull, 3ull, 20ull, 128ull, 1000ull}) {
      if (slices > terms) continue;
      const Plan p(terms, slices);
      std::uint64_t nonempty = 0;
      for (std::uint64_t s = 0; s < slices; ++s) {
        const BlockRange r = p.slice_blocks(s);
        if (r.size() > 0) {
          ++nonempty;
          for (std::uint64_t b = r.begin; b < r.end; ++b) EXPECT_EQ(p.slice_of_block(b), s);
          const SliceRange d = p.done_with(s);  // s and the empty slices after it
          EXPECT_EQ(d.begin, s);
          EXPECT_EQ(p.next_nonempty(s + 1), d.end);
          for (std::uint64_t e = s + 1; e < d.end; ++e) EXPECT_EQ(p.slice_blocks(e).size(), 0u);
        }
        std::uint64_t expect_next = s;
        while (expect_next < slices && p.slice_blocks(expect_next).size() == 0) ++expect_next;
        EXPECT_EQ(p.next_nonempty(s), expect_next) << terms << " " << slices << " " << s;
      }
      EXPECT_EQ(p.nonempty_in({0, slices}), nonempty);
      EXPECT_EQ(nonempty, std::min(slices, p.blocks()));
      EXPECT_EQ(p.leading_empty().end, p.next_nonempty(0));
      for (std::uint64_t a = 0; a < slices; a += 7)
        for (std::uint64_t b = a; b <= slices; b += 5) {
          std::uint64_t n = 0;
          for (std::uint64_t s = a; s < b; ++s) n += p.slice_blocks(s).size() > 0 ? 1 : 0;
          EXPECT_EQ(p.nonempty_in({a, b}), n);
        }
    }
  }
}

TEST(Plan, HugeSliceCountsNeedNoPerSliceWork) {
  const Plan p(4000000000000000ull, 10000000000000ull);  // the 4e15 terms in 1e13 slices
  EXPECT_EQ(p.nonempty_in({0, p.slices()}), p.blocks());
  const std::uint64_t s = p.next_nonempty(123456789);
  EXPECT_EQ(p.slice_blocks(s).size(), 1u);
  EXPECT_EQ(p.slice_of_block(p.slice_blocks(s).begin), s);
}

TEST(Plan, TermsOfSliceRangesAddUpToTheTotal) {
  for (std::uint64_t terms : {1ull, 65537ull, 128000000ull, 10000000001ull}) {
    for (std::uint64_t slices : {1ull, 3ull, 128ull, 100000ull}) {
      if (slices > terms) continue;
      const Plan p(terms, slices);
      EXPECT_EQ(p.terms_in(SliceRange{0, slices}), terms);
      std::uint64_t sum = 0;
      for (std::uint64_t s = 0; s < slices; s += 7) {
        const SliceRange r{s, std::min(slices, s + 7)};
        const BlockRange b{p.slice_blocks(r.begin).begin, p.slice_blocks(r.end - 1).end};
        EXPECT_EQ(p.terms_in(r), std::min(terms, b.end * kBlockTerms) - std::min(terms, b.begin * kBlockTerms));
        sum += p.terms_in(r);
      }
      EXPECT_EQ(sum, terms);
      EXPECT_EQ(p.terms_in(SliceRange{3, 3}), 0u);
    }
  }
}
