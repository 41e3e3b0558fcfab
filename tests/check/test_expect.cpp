// check --expect: the layout parsed (recommend, or nodes / ranks-per-node / cores-per-rank; bad items
// refused), and judged against a survey of synthetic hosts: the wrong number of nodes fails the cluster,
// the wrong number of ranks on a host or a rank bound to other than the stated cores fails that node;
// recommend holds each host to topology --recommend's layout for it.
#include <gtest/gtest.h>

#include "base/user_error.hpp"
#include "check/expect.hpp"
#include "topology/machine.hpp"

using namespace hs::check;

namespace {
// Ranks on hosts of one package of 8 cores (1 PU each); rank r bound to `width` cores from r * width.
hs::topology::Survey survey(const std::vector<std::string>& hosts_of_ranks, int width) {
  const auto machine = hs::topology::Machine::synthetic("pack:1 core:8 pu:1");
  std::vector<std::pair<hs::topology::HostSummary, hs::topology::RankPlacement>> by_rank;
  std::map<std::string, int> next;
  for (std::size_t r = 0; r < hosts_of_ranks.size(); ++r) {
    const auto& host = hosts_of_ranks[r];
    hs::topology::RankPlacement p;
    p.rank = static_cast<int>(r), p.host = host, p.bound = true;
    for (int c = 0; c < width; ++c) p.pus.push_back((next[host] * width + c) % 8);
    ++next[host];
    by_rank.emplace_back(machine.summary(host), p);
  }
  return hs::topology::make_survey(by_rank);
}

CheckReport report_of(const hs::topology::Survey& s) {
  std::vector<RankFacts> facts;
  for (const auto& p : s.ranks) {
    RankFacts f;
    f.rank = p.rank, f.host = p.host;
    facts.push_back(f);
  }
  CheckOptions o;
  o.compute = o.memory = o.links = o.bits = false;
  return judge(facts, {}, o);
}

std::vector<std::string> messages(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) {
    EXPECT_EQ(f.stage, "placement");
    EXPECT_EQ(f.status, Status::fail);
    out.push_back(f.message);
  }
  return out;
}
}  // namespace

TEST(CheckExpect, ParsesTheLayoutAndRefusesTheRest) {
  const auto e = parse_expectation("--expect", "nodes=3,ranks-per-node=2,cores-per-rank=4");
  EXPECT_EQ((std::vector<int>{e.nodes, e.ranks_per_node, e.cores_per_rank}), (std::vector<int>{3, 2, 4}));
  EXPECT_FALSE(e.recommend);
  const auto r = parse_expectation("--expect", "recommend,nodes=2");
  EXPECT_TRUE(r.recommend);
  EXPECT_EQ(r.nodes, 2);
  for (const char* bad : {"", "nodes", "nodes=", "nodes=0", "nodes=-1", "nodes=2x", "threads=2", "recommend,cores-per-rank=2",
                          "nodes=2,,ranks-per-node=1", "nodes=99999999999"})
    EXPECT_THROW(parse_expectation("--expect", bad), hs::UserError) << bad;
  try {
    parse_expectation("--expect", "cores=2");
  } catch (const hs::UserError& err) {
    EXPECT_STREQ(err.what(), "--expect: unknown item 'cores=2' (expected recommend, nodes=N, ranks-per-node=N, cores-per-rank=N)");
  }
}

TEST(CheckExpect, TheStatedLayoutPassesWhereTheJobHasIt) {
  const auto s = survey({"a", "a", "b", "b"}, 4);
  auto r = report_of(s);
  judge_expectation(r, s, parse_expectation("--expect", "nodes=2,ranks-per-node=2,cores-per-rank=4"));
  EXPECT_EQ(r.status, Status::pass);
  EXPECT_TRUE(r.cluster_findings.empty());
}

TEST(CheckExpect, AnotherLayoutFailsTheNodeOrClusterThatDiffers) {
  // Host a has 2 ranks of 4 cores, host b 1 rank: b fails for its rank count, the cluster for its nodes.
  const auto s = survey({"a", "a", "b"}, 4);
  auto r = report_of(s);
  judge_expectation(r, s, parse_expectation("--expect", "nodes=3,ranks-per-node=2"));
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_EQ(r.nodes[0].status, Status::pass);
  EXPECT_EQ(messages(r.nodes[1].findings),
            std::vector<std::string>{"1 rank on this node, expected 2 (--expect nodes=3,ranks-per-node=2)"});
  EXPECT_EQ(messages(r.cluster_findings),
            std::vector<std::string>{"the job has 2 nodes, expected 3 (--expect nodes=3,ranks-per-node=2)"});
  // Bound to 1 core each where 2 were meant (as mpirun's default --bind-to core gives).
  const auto narrow = survey({"a", "a"}, 1);
  auto n = report_of(narrow);
  judge_expectation(n, narrow, parse_expectation("--expect", "cores-per-rank=2"));
  EXPECT_EQ(messages(n.nodes[0].findings),
            std::vector<std::string>{"2 of its 2 ranks bound to other than 2 cores each (--expect cores-per-rank=2): "
                                     "rank 0 to 1, rank 1 to 1"});
}

TEST(CheckExpect, RecommendHoldsEachHostToTopologysAdvice) {
  // One package of 8 cores: topology --recommend gives 1 rank of 8 threads.
  const auto whole = survey({"a"}, 8);
  auto ok = report_of(whole);
  judge_expectation(ok, whole, parse_expectation("--expect", "recommend"));
  EXPECT_EQ(ok.status, Status::pass);
  const auto per_core = survey({"a", "a", "a", "a", "a", "a", "a", "a"}, 1);
  auto bad = report_of(per_core);
  judge_expectation(bad, per_core, parse_expectation("--expect", "recommend"));
  const auto m = messages(bad.nodes[0].findings);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], "8 ranks on this node, expected 1 (--expect recommend: topology --recommend gives this host 1 rank x 8 "
                  "cores each)");
  EXPECT_NE(m[1].find("8 of its 8 ranks bound to other than 8 cores each"), std::string::npos) << m[1];
  EXPECT_NE(m[1].find("rank 0 to 1, rank 1 to 1, rank 2 to 1, rank 3 to 1 and 4 more"), std::string::npos) << m[1];
}
