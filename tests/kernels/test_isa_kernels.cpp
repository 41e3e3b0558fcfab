// Every compiled ISA (scalar included) that this CPU supports against the lane-by-lane reference, bit for bit, lane by
// lane: whole blocks, short last blocks of every residue mod 8 and mod the chunk, precise and fast regions.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "kernels/series.hpp"

using namespace hs::kernels;

namespace {

void expect_same_lanes(const LaneState& a, const LaneState& b, const std::string& what) {
  for (int j = 0; j < kLanes; ++j) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.sum[j]), std::bit_cast<std::uint64_t>(b.sum[j])) << what << " lane " << j;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.comp[j]), std::bit_cast<std::uint64_t>(b.comp[j]))
        << what << " lane " << j;
  }
}

struct Case {
  std::uint64_t terms;
  std::uint64_t block;
};

}  // namespace

class IsaAgainstReference : public ::testing::TestWithParam<Isa> {};

TEST_P(IsaAgainstReference, LaneValuesAreBitIdentical) {
  const Isa isa = GetParam();
  if (!isa_supported(isa)) GTEST_SKIP() << name(isa) << " not supported by this CPU/OS";
  const std::uint64_t B = kBlockTerms;
  const std::vector<Case> cases = {{1, 0},
                                   {2, 0},
                                   {3, 0},
                                   {7, 0},
                                   {8, 0},
                                   {31, 0},
                                   {32, 0},
                                   {33, 0},
                                   {65, 0},
                                   {1000, 0},
                                   {B, 0},
                                   {kPreciseTerms + B, kPreciseTerms / B},             // first fast block
                                   {kPreciseTerms + 33, kPreciseTerms / B},            // short fast block
                                   {123456789, 123456789 / B},                         // last block, odd length
                                   {123456789, 1000},                                  // a middle block
                                   {(1ull << 40) + 37, ((1ull << 40) + 37) / B},       // large k: d beyond 2^27
                                   {(1ull << 40) + 3 * B + 17, (1ull << 40) / B + 1},  // a full block far out
                                   {kMaxTerms, kMaxTerms / B - 2},                     // the largest N: a + 14
                                   {kMaxTerms, kMaxTerms / B - 1},                     // up to 2^53 - 1
                                   {kMaxTerms - 41, kMaxTerms / B - 1}};               // short, at the top
  for (Kernel k : all_kernels()) {
    for (Accumulation acc : {Accumulation::compensated, Accumulation::plain}) {
      for (const Case& c : cases) {
        SeriesKernel simd(k, c.terms, isa, acc);
        LaneState a, b;
        simd.reference_block_lanes(c.block, a);
        simd.block_lanes(c.block, b);
        expect_same_lanes(a, b,
                          std::string(name(k)) + "/" + std::string(name(acc)) + " N=" + std::to_string(c.terms) +
                              " block=" + std::to_string(c.block));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllIsas, IsaAgainstReference, ::testing::ValuesIn(all_isas()),
                         [](const auto& param_info) { return std::string(name(param_info.param)); });

TEST(Dispatch, DetectionAgreesWithTheCompiler) {
  // Our CPUID+XCR0 detection against GCC's (which also checks XCR0) on this machine.
#if defined(__x86_64__)
  EXPECT_EQ(isa_supported(Isa::avx512), static_cast<bool>(__builtin_cpu_supports("avx512f")));
  EXPECT_EQ(isa_supported(Isa::avx2), static_cast<bool>(__builtin_cpu_supports("avx2")));
  EXPECT_TRUE(isa_supported(Isa::sse2));
#endif
  EXPECT_TRUE(isa_supported(Isa::scalar));
  EXPECT_TRUE(isa_supported(best_isa()));
}

TEST(Dispatch, NamesRoundTrip) {
  for (Isa i : all_isas()) EXPECT_EQ(parse_isa(name(i)), i);
  for (Kernel k : all_kernels()) EXPECT_EQ(parse_kernel(name(k)), k);
  EXPECT_FALSE(parse_isa("auto"));
  EXPECT_FALSE(parse_kernel("Leibniz"));
}
