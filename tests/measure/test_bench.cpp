// The bench comparisons on constructed measurements: who is named slower, when, and the JSON round trip
// (the wire form between ranks). No timing here: what is measured is tested in tests/cli (cli.Bench).
#include <gtest/gtest.h>

#include <algorithm>

#include "measure/bench.hpp"
#include "measure/discipline.hpp"

using namespace hs::measure;
using hs::kernels::Isa;
using hs::kernels::Kernel;

namespace {

Sample at(double rate) {
  Sample s;
  s.median = s.min = s.max = rate;
  s.repetitions = 3;
  s.iterations = 10;
  return s;
}

RankBench rank(int r, const std::string& host, double best_rate, double divider = 3e9, Isa isa = Isa::avx2) {
  RankBench b;
  b.rank = r;
  b.host = host;
  b.node.probes.push_back({isa, at(divider), at(4e10)});
  b.node.results.push_back({Kernel::leibniz, isa, at(best_rate / 3), {divider, true}});
  b.node.results.push_back({Kernel::leibniz_grouped, isa, at(best_rate), {2e10, false}});
  return b;
}

std::vector<std::string> kinds(const std::vector<hs::topology::Pitfall>& w) {
  std::vector<std::string> out;
  for (const auto& p : w) out.push_back(p.kind);
  return out;
}

}  // namespace

TEST(BenchCompare, EqualRanksAreQuiet) {
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10), rank(1, "a", 0.95e10), rank(2, "b", 0.92e10)};
  EXPECT_TRUE(compare(r).empty());
}

TEST(BenchCompare, ARankTenPercentBelowIsNamedWithBothNumbers) {
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10), rank(1, "b", 0.89e10)};
  const auto w = compare(r);
  ASSERT_EQ(kinds(w), std::vector<std::string>{"slow_rank"});
  EXPECT_NE(w[0].message.find("rank 1 on b: best 8.9e+09 terms/s"), std::string::npos) << w[0].message;
  EXPECT_NE(w[0].message.find("11% below rank 0's 1e+10"), std::string::npos) << w[0].message;
}

TEST(BenchCompare, ASlowDividerAloneIsEnough) {
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10, 3e9), rank(1, "b", 1e10, 2e9)};
  const auto w = compare(r);
  ASSERT_EQ(kinds(w), std::vector<std::string>{"slow_rank"});
  EXPECT_NE(w[0].message.find("rank 1 on b: divider probe 2e+09/s (avx2) is 33% below rank 0's 3e+09/s"),
            std::string::npos)
      << w[0].message;
}

TEST(BenchCompare, ProbesAreComparedAtEachRanksBestWidth) {
  // Rank 0's AVX-512 divider is no faster than its AVX2 one (Zen 4); rank 1 has AVX2 only. Equal.
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10, 3e9, Isa::avx2), rank(1, "b", 1e10, 3e9, Isa::avx2)};
  r.ranks[0].node.probes.push_back({Isa::avx512, at(2.9e9), at(5e10)});
  EXPECT_TRUE(compare(r).empty());
}

TEST(BenchCompare, RanksOfOneHostThatDifferMakeTheHostUneven) {
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10), rank(1, "a", 0.5e10)};
  EXPECT_EQ(kinds(compare(r)), (std::vector<std::string>{"slow_rank", "uneven_host"}));
}

TEST(BenchCompare, ASlowLinkIsComparedWithLinksOfItsOwnKind) {
  BenchReport r;
  r.ranks = {rank(0, "a", 1e10), rank(1, "a", 1e10), rank(2, "b", 1e10), rank(3, "c", 1e10), rank(4, "d", 1e10)};
  auto link = [](int peer, double latency, double bandwidth) {
    return Link{peer, {{8, latency, 8 / latency}, {4u << 20, (4u << 20) / bandwidth, bandwidth}}};
  };
  // Shared memory (rank 1) is far faster than the network; only rank 4's network link is slow.
  r.links = {link(1, 0.3e-6, 5e9), link(2, 20e-6, 1.1e8), link(3, 22e-6, 1.0e8), link(4, 25e-6, 0.4e8)};
  const auto w = compare(r);
  ASSERT_EQ(kinds(w), std::vector<std::string>{"slow_link"});
  EXPECT_NE(w[0].message.find("rank 0 - rank 4 (d)"), std::string::npos) << w[0].message;
  EXPECT_NE(w[0].message.find("inter-host"), std::string::npos) << w[0].message;
}

TEST(BenchReportJson, RankRoundTripKeepsEveryMeasurement) {
  const RankBench a = rank(3, "node7", 1.5e10, 2.5e9, Isa::avx512);
  const RankBench b = rank_bench_from_json(to_json(a));
  EXPECT_EQ(b.rank, 3);
  EXPECT_EQ(b.host, "node7");
  ASSERT_EQ(b.node.results.size(), 2u);
  EXPECT_EQ(b.node.results[1].kernel, Kernel::leibniz_grouped);
  EXPECT_EQ(b.node.results[1].isa, Isa::avx512);
  EXPECT_EQ(b.node.results[1].terms.median, 1.5e10);
  EXPECT_EQ(b.node.results[1].ceiling.terms_per_second, 2e10);
  EXPECT_FALSE(b.node.results[1].ceiling.divider_bound);
  EXPECT_EQ(b.best().kernel, Kernel::leibniz_grouped);
  EXPECT_EQ(b.best_probe().divider.median, 2.5e9);
}

TEST(Measure, CalibratesToTheMinimumTimeAndTakesTheMedian) {
  // A fake clock: each iteration "takes" 1 ms and does 10 units of work, except the 3rd timed run.
  int timed = 0;
  bool calibrated = false;
  const Sample s = measure(
      [&](std::uint64_t n) {
        const double seconds = static_cast<double>(n) * 1e-3;
        if (seconds >= 0.05) calibrated = true;
        double work = static_cast<double>(n) * 10;
        if (calibrated && ++timed == 3) work *= 2;  // one outlier repetition
        return hs::kernels::Timed{work, seconds};
      },
      Discipline{0.05, 5});
  EXPECT_GE(static_cast<double>(s.iterations) * 1e-3, 0.05);
  EXPECT_EQ(s.repetitions, 5);
  EXPECT_DOUBLE_EQ(s.median, 10000.0);  // 10 units per ms
  EXPECT_DOUBLE_EQ(s.max, 20000.0);
  EXPECT_DOUBLE_EQ(s.spread(), 1.0);
}
