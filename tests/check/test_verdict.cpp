// check's verdict rules from given facts: a slow core fails its node, only against its CPU model's peers;
// so does a node of slow memory (against nodes of its CPU model and rank count) or one whose memory
// passes left wrong values; a differing exact sum fails its node; placement warnings make the cluster
// WARN; bad options are refused.
#include <gtest/gtest.h>

#include "base/user_error.hpp"
#include "check/check.hpp"

using namespace hs::check;

namespace {
RankFacts rank(int r, const std::string& host, double rate, const std::string& cpu = "CPU A",
               const std::string& hex = "0x1.921fb54442d18p+1", double triad = 20e9) {
  RankFacts f;
  f.rank = r, f.host = host, f.cpu_model = cpu, f.best_rate = rate, f.best_isa = "avx2", f.numa = 0;
  f.memory = {64u << 20, 5, triad * 2 / 3, triad, true, {}, {}};
  f.bits["leibniz"]["scalar"] = "0x1.921fb54442d18p+1";
  f.bits["leibniz"]["avx2"] = hex;
  return f;
}
std::size_t pattern_steps_count(int size) { return hs::measure::pattern_steps(size).size(); }

CheckOptions tolerance(double t) {
  CheckOptions o;
  o.tolerance = t;
  return o;
}
}  // namespace

TEST(CheckVerdict, EvenCoresPass) {
  const auto r = judge({rank(0, "a", 1.00e9), rank(1, "a", 0.97e9), rank(2, "b", 1.02e9)}, {}, {});
  EXPECT_EQ(r.status, Status::pass);
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[0].ranks, (std::vector<int>{0, 1}));
  EXPECT_EQ(r.nodes[0].slowest_rank, 1);
  EXPECT_DOUBLE_EQ(r.nodes[0].median_rate, 0.985e9);
}

TEST(CheckVerdict, ASlowCoreFailsItsNodeWithTheNumbers) {
  const auto r = judge({rank(0, "a", 1.0e9), rank(1, "a", 1.0e9), rank(2, "b", 0.5e9), rank(3, "b", 1.0e9)}, {}, {});
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_EQ(r.nodes[0].status, Status::pass);
  ASSERT_EQ(r.nodes[1].status, Status::fail);
  ASSERT_EQ(r.nodes[1].findings.size(), 1u);
  EXPECT_EQ(r.nodes[1].findings[0].stage, "compute");
  EXPECT_NE(r.nodes[1].findings[0].message.find("rank 2's core: 5e+08 terms/s"), std::string::npos)
      << r.nodes[1].findings[0].message;
  EXPECT_NE(r.nodes[1].findings[0].message.find("50% of the median 1e+09 of the 4 cores"), std::string::npos);
  // 10% below is within the default 15%, not within 5%
  const auto tight = judge({rank(0, "a", 1.0e9), rank(1, "a", 1.0e9), rank(2, "b", 0.9e9)}, {}, tolerance(0.05));
  EXPECT_EQ(tight.nodes[1].status, Status::fail);
  EXPECT_EQ(judge({rank(0, "a", 1.0e9), rank(1, "a", 1.0e9), rank(2, "b", 0.9e9)}, {}, {}).status, Status::pass);
}

TEST(CheckVerdict, CoresAreJudgedAgainstTheirOwnCpuModel) {
  // A half-speed CPU model is not slow among its own kind.
  const auto r = judge({rank(0, "x86", 2.0e9, "Xeon"), rank(1, "x86", 2.0e9, "Xeon"), rank(2, "pi", 0.3e9, "Cortex-A76")},
                       {}, {});
  EXPECT_EQ(r.status, Status::pass);
}

TEST(CheckVerdict, SlowMemoryFailsItsNodeAgainstNodesOfItsKind) {
  const std::string pi = "0x1.921fb54442d18p+1";
  auto r = judge({rank(0, "a", 1e9, "CPU A", pi, 20e9), rank(1, "a", 1e9, "CPU A", pi, 20e9),
                  rank(2, "b", 1e9, "CPU A", pi, 20e9), rank(3, "b", 1e9, "CPU A", pi, 20e9),
                  rank(4, "c", 1e9, "CPU A", pi, 10e9), rank(5, "c", 1e9, "CPU A", pi, 12e9),
                  rank(6, "d", 1e9, "CPU A", pi, 20e9)},  // one rank: not compared with the two-rank nodes
                 {}, {});
  EXPECT_EQ(r.nodes[0].status, Status::pass);
  EXPECT_DOUBLE_EQ(r.nodes[0].triad, 40e9);
  EXPECT_DOUBLE_EQ(r.nodes[0].numa.at(0).second, 40e9);
  EXPECT_EQ(r.nodes[3].status, Status::pass);
  ASSERT_EQ(r.nodes[2].status, Status::fail);
  EXPECT_EQ(r.nodes[2].findings[0].stage, "memory");
  EXPECT_NE(r.nodes[2].findings[0].message.find("triad 22.0 GB/s over its 2 ranks, 55% of the median 40.0 GB/s of the 3 nodes"),
            std::string::npos)
      << r.nodes[2].findings[0].message;
  // Wrong values left in a rank's arrays fail its node, whatever the speed.
  auto bad = rank(1, "a", 1e9);
  bad.memory.verified = false;
  r = judge({rank(0, "a", 1e9), bad}, {}, {});
  ASSERT_EQ(r.nodes[0].status, Status::fail);
  EXPECT_NE(r.nodes[0].findings[0].message.find("rank 1: the memory passes left wrong values"), std::string::npos);
}

TEST(CheckVerdict, ASlowLinkIsNamedAndAHostWhoseEveryLinkOutIsSlowFails) {
  // Three hosts, one rank each; c's links out run at a tenth of the others' (a shaped NIC): a and b
  // receive slowly from c. Step k: rank i sends to i+k, receives from i-k; latency is i's, towards `to`.
  std::vector<RankFacts> ranks = {rank(0, "a", 1e9), rank(1, "b", 1e9), rank(2, "c", 1e9)};
  const double fast = 1e9, slow = 1e8;
  ranks[0].links = {{1, 2, 20e-6, slow, {}, {}}, {2, 1, 20e-6, fast, {}, {}}};
  ranks[1].links = {{2, 0, 20e-6, fast, {}, {}}, {0, 2, 20e-6, slow, {}, {}}};
  ranks[2].links = {{0, 1, 900e-6, fast, {}, {}}, {1, 0, 900e-6, fast, {}, {}}};
  const auto r = judge(ranks, {}, {});
  EXPECT_EQ(r.status, Status::fail);
  ASSERT_EQ(r.links.size(), 6u);
  int slow_pairs = 0;
  for (const auto& l : r.links) slow_pairs += l.slow;
  EXPECT_EQ(slow_pairs, 2);
  ASSERT_EQ(r.cluster_findings.size(), 2u);
  EXPECT_EQ(r.cluster_findings[0].message.rfind("c -> a: 0.1 GB/s (the slowest of 1 rank pairs", 0), 0u)
      << r.cluster_findings[0].message;
  EXPECT_EQ(r.nodes[0].status, Status::pass);
  EXPECT_EQ(r.nodes[1].status, Status::pass);
  ASSERT_EQ(r.nodes[2].status, Status::fail);
  EXPECT_EQ(r.nodes[2].findings[0].message.rfind("every link from it is slow (2 of 2", 0), 0u);
  // Pairs within a host are shown, never judged.
  std::vector<RankFacts> one = {rank(0, "a", 1e9), rank(1, "a", 1e9)};
  one[0].links = {{1, 1, 1e-6, 10e9, {}, {}}};
  one[1].links = {{0, 0, 1e-6, 1e9, {}, {}}};
  const auto within = judge(one, {}, {});
  EXPECT_EQ(within.status, Status::pass);
  ASSERT_EQ(within.links.size(), 1u);
  EXPECT_EQ(within.links[0].pairs, 2);
  EXPECT_DOUBLE_EQ(within.links[0].bandwidth, 1e9);
  EXPECT_EQ(pattern_steps_count(40), 32u);
}

TEST(CheckVerdict, ADifferentSumFailsItsNode) {
  const auto r = judge({rank(0, "a", 1e9), rank(1, "b", 1e9), rank(2, "c", 1e9, "CPU A", "0x1.921fb54442d19p+1")}, {}, {});
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_EQ(r.nodes[0].status, Status::pass);
  ASSERT_EQ(r.nodes[2].status, Status::fail);
  EXPECT_EQ(r.nodes[2].findings[0].message,
            "rank 2: leibniz on avx2 gives 0x1.921fb54442d19p+1, the cluster's 0x1.921fb54442d18p+1");
}

TEST(CheckVerdict, PlacementWarningsMakeTheClusterWarnAndOnlyWhenAsked) {
  const std::vector<hs::topology::Pitfall> p = {{"host_oversubscribed", "host a: 4 threads on 2 cores"}};
  const auto r = judge({rank(0, "a", 1e9)}, p, {});
  EXPECT_EQ(r.status, Status::warn);
  ASSERT_EQ(r.cluster_findings.size(), 1u);
  EXPECT_EQ(r.cluster_findings[0].stage, "placement");
  CheckOptions no_placement;
  select_stages(no_placement, "--only", "compute,bits");
  EXPECT_FALSE(no_placement.placement);
  EXPECT_EQ(judge({rank(0, "a", 1e9)}, p, no_placement).status, Status::pass);
}

TEST(CheckVerdict, OptionsCheckTheirOwnValues) {
  CheckOptions o;
  select_stages(o, "--only", "bits");
  EXPECT_TRUE(o.bits && !o.compute && !o.placement && !o.memory);
  select_stages(o, "--only", "memory,bits");
  EXPECT_TRUE(o.bits && o.memory && !o.compute);
  EXPECT_THROW(select_stages(o, "--only", "bits,network"), hs::UserError);
  EXPECT_THROW(select_stages(o, "--only", ""), hs::UserError);
  EXPECT_DOUBLE_EQ(parse_tolerance("--tolerance", "0.2"), 0.2);
  for (const char* bad : {"0", "1", "-0.1", "x", "", "0.2x"}) EXPECT_THROW(parse_tolerance("--tolerance", bad), hs::UserError) << bad;
}

TEST(CheckVerdict, TheSumsOfThisCpuAgreeAcrossItsIsas) {
  CheckOptions o;
  o.compute = o.memory = false;
  const auto machine = hs::topology::Machine::this_host();
  const auto f = measure_this_rank(o, 0, "h", machine, [] {});
  ASSERT_EQ(f.bits.size(), 4u);  // every kernel
  for (const auto& [kernel, by_isa] : f.bits) {
    ASSERT_FALSE(by_isa.empty()) << kernel;
    for (const auto& [isa, hex] : by_isa) EXPECT_EQ(hex, by_isa.begin()->second) << kernel << " " << isa;
  }
  EXPECT_EQ(rank_facts_from_json(to_json(f)).bits, f.bits);
}

TEST(CheckVerdict, TheMemoryStageMeasuresVerifiedArraysOfFourCacheShares) {
  // Sizes from the cache: 4x a 32 MiB cache shared by 8 cores is 16 MiB; small caches get 8 MiB.
  EXPECT_EQ(hs::measure::stream_array_bytes(32u << 20, 8), 16u << 20);
  EXPECT_EQ(hs::measure::stream_array_bytes(1u << 20, 1), 8u << 20);
  EXPECT_EQ(hs::measure::stream_array_bytes(0, 0), 8u << 20);
  int syncs = 0;
  const auto m = hs::measure::stream_like(1u << 20, 4, [&] { ++syncs; });
  EXPECT_EQ(syncs, 5);  // one untimed pass, then 4
  EXPECT_TRUE(m.verified);
  EXPECT_EQ(m.array_bytes, 1u << 20);
  EXPECT_GT(m.copy, 0);
  EXPECT_GT(m.triad, 0);
  CheckOptions o;
  o.compute = o.bits = false;
  o.memory_passes = 2;
  const auto machine = hs::topology::Machine::this_host();
  const auto f = measure_this_rank(o, 0, "h", machine, [] {});
  EXPECT_TRUE(f.memory.verified);
  EXPECT_GE(f.memory.array_bytes, 8u << 20);
  const auto back = rank_facts_from_json(to_json(f));
  EXPECT_EQ(back.memory.triad, f.memory.triad);
  EXPECT_EQ(back.numa, f.numa);
}
