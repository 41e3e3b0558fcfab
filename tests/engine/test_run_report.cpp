// The run report from a RunResult made by hand: text lines in the documented order, JSON fields joined
// from the survey (host, threads, ISA, bindings) and the per-rank tallies.
#include <gtest/gtest.h>

#include <numbers>

#include "engine/run_report.hpp"

using namespace hs::engine;

TEST(Report, JoinsTalliesWithTheSurveyAndPrintsPiFirst) {
  RunResult r;
  r.config.terms = 1000;
  r.config.slices = 2;
  r.config.slice_size = 500;
  r.ranks = 2;
  r.threads = 1;
  r.isa = "mixed";
  r.pi = 0x1.921fb54442d18p+1;
  r.seconds = 0.5;
  r.terms_computed = 1000;
  r.hosts = {"a", "b"};
  for (int k = 0; k < 2; ++k) {
    hs::topology::RankPlacement p;
    p.rank = k;
    p.host = k == 0 ? "a" : "b";
    p.isa = k == 0 ? "avx512" : "avx2";
    p.threads = 1;
    p.pus = {k};
    p.pinned = k == 0;
    p.thread_list.push_back({0, {k}, k, k, 0});
    r.survey.ranks.push_back(p);
    r.per_rank.push_back(RankStats{k, static_cast<std::uint64_t>(k + 1), 1, 0.25, 12.5});
  }
  const auto j = to_json(r);
  EXPECT_EQ(j["pi"].get<double>(), std::numbers::pi);
  EXPECT_EQ(nlohmann::json::parse(j.dump())["pi"].get<double>(), std::numbers::pi);  // round-trips exactly
  EXPECT_EQ(j["pi_hex"], "0x1.921fb54442d18p+1");
  EXPECT_EQ(j["terms_per_second"], 2000.0);
  ASSERT_EQ(j["per_rank"].size(), 2u);
  EXPECT_EQ(j["per_rank"][1]["host"], "b");
  EXPECT_EQ(j["per_rank"][1]["isa"], "avx2");
  EXPECT_EQ(j["per_rank"][1]["slices"], 2);
  EXPECT_EQ(j["per_rank"][1]["pus"], "1");
  EXPECT_EQ(j["per_rank"][0]["pinned"], true);
  EXPECT_EQ(j["per_rank"][0]["bindings"][0]["core"], 0);
  EXPECT_TRUE(j["checkpoint"].is_null());

  const std::string text = to_text(r);
  EXPECT_EQ(text.rfind("pi        3.1415926535897931  (0x1.921fb54442d18p+1)\nerror", 0), 0u) << text;
  EXPECT_NE(text.find("layout    2 ranks x 1 thread on 2 hosts (a, b)"), std::string::npos) << text;
  EXPECT_NE(text.find("\n    1  b                          1  avx2          2   0.250000  1 (unpinned)\n"), std::string::npos)
      << text;
}

TEST(Report, AResumedRunsRateCountsOnlyTheTermsItComputed) {
  RunResult r;
  r.config.terms = 12800;
  r.config.slices = 128;
  r.config.slice_size = 100;
  r.config.checkpoint = "pi.ckpt";
  r.seconds = 2.0;
  r.resumed_slices = 86;
  r.terms_computed = 4200;  // the 42 slices left
  const auto j = to_json(r);
  EXPECT_EQ(j["terms_computed"], 4200);
  EXPECT_EQ(j["terms_per_second"], 2100.0);
  EXPECT_NE(to_text(r).find("rate      2.100e+03 terms/s (4200 terms computed in this run)\n"), std::string::npos)
      << to_text(r);
  r.resumed_slices = 128;  // a finished checkpoint run again: nothing computed, no rate to speak of
  r.terms_computed = 0;
  EXPECT_EQ(to_json(r)["terms_per_second"], 0.0);
  EXPECT_NE(to_text(r).find("rate      0.000e+00 terms/s (0 terms computed in this run)\n"), std::string::npos);
}
