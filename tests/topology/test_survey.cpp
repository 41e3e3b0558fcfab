// The survey's JSON schema (what job/ sends over MPI) round-trips every field, and make_survey groups
// ranks by host in rank order and names the ISA.
#include <gtest/gtest.h>

#include "topology/machine.hpp"
#include "topology/survey.hpp"

using namespace hs::topology;

namespace {

RankPlacement placement(int rank, const std::string& host, const std::string& isa) {
  RankPlacement r;
  r.rank = rank;
  r.host = host;
  r.isa = isa;
  r.isa_available = rank != 2;
  r.pus = {rank * 2, rank * 2 + 1};
  r.bound = true;
  r.threads = 2;
  r.omp_num_threads_set = true;
  r.threads_given = rank == 1;
  r.pinned = rank == 0;
  r.pin_note = rank == 0 ? "" : "pinning off (--no-pin)";
  for (int t = 0; t < 2; ++t) r.thread_list.push_back({t, {rank * 2 + t}, rank * 2 + t, rank * 2 + t, 0});
  return r;
}

}  // namespace

TEST(Survey, JsonRoundTripKeepsEveryField) {
  const HostSummary h = Machine::synthetic("pack:2 numa:2 core:4 pu:2").summary("node7");
  const HostSummary h2 = host_from_json(to_json(h));
  EXPECT_EQ(to_json(h2), to_json(h));
  EXPECT_EQ(h2.cores, 16);
  EXPECT_EQ(h2.numa_list.size(), 4u);
  const RankPlacement r = placement(1, "node7", "avx2");
  const RankPlacement r2 = placement_from_json(to_json(r));
  EXPECT_EQ(to_json(r2), to_json(r));
  EXPECT_EQ(r2.pus, r.pus);
  EXPECT_EQ(r2.thread_list.size(), 2u);
  EXPECT_EQ(r2.thread_list[1].running_pu, 3);
  EXPECT_EQ(r2.threads_given, true);
  EXPECT_EQ(r2.pin_note, "pinning off (--no-pin)");
}

TEST(Survey, GroupsRanksByHostAndNamesTheIsa) {
  const HostSummary a = Machine::synthetic("pack:1 core:4 pu:1").summary("a");
  const HostSummary b = Machine::synthetic("pack:1 core:4 pu:1").summary("b");
  const Survey s = make_survey({{a, placement(0, "a", "avx512")}, {b, placement(1, "b", "avx512")},
                                {a, placement(2, "a", "avx512")}});
  ASSERT_EQ(s.hosts.size(), 2u);
  EXPECT_EQ(s.hosts[0].host, "a");
  EXPECT_EQ(s.hosts[1].host, "b");
  EXPECT_EQ(s.ranks.size(), 3u);
  EXPECT_EQ(isa_of(s), "avx512");
  const Survey mixed = make_survey({{a, placement(0, "a", "avx512")}, {a, placement(1, "a", "avx2")}});
  EXPECT_EQ(isa_of(mixed), "mixed");
}
