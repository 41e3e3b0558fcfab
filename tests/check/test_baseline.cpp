// Baselines and compare from given facts: a run within its baseline's bounds passes; a node slower than
// its baseline fails with the metric named, a CPU model's and a host pair's fall fail the cluster;
// --tolerance replaces the lower bounds; a missing, corrupt, other-version or out-of-range baseline is
// one UserError; compare names a significant regression and lets noise and too few samples pass.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/user_error.hpp"
#include "base/version.hpp"
#include "check/compare.hpp"

using namespace hs::check;

namespace {
RankFacts rank(int r, const std::string& host, double rate, double triad = 20e9) {
  RankFacts f;
  f.rank = r, f.host = host, f.cpu_model = "CPU A", f.best_rate = rate, f.best_isa = "avx2", f.numa = 0;
  f.rate_samples = {rate * 0.97, rate * 0.99, rate};
  f.memory = {64u << 20, 5, triad * 2 / 3, triad, true, {}, {}};
  for (const double x : {0.9, 0.95, 1.0, 0.93, 0.97}) f.memory.copy_passes.push_back(x * triad * 2 / 3), f.memory.triad_passes.push_back(x * triad);
  return f;
}
CheckReport two_nodes(double rate_b, double triad_b = 20e9) {
  return judge({rank(0, "a", 1e9), rank(1, "a", 1e9), rank(2, "b", rate_b, triad_b), rank(3, "b", rate_b, triad_b)}, {}, {});
}
Baseline baseline_of(const CheckReport& r) {
  Baseline b;
  b.file = "base.json", b.version = hs::build_info().version, b.date = "2026-12-01T00:00:00Z";
  b.metrics = r.metrics;
  return b;
}
const Finding* finding(const std::vector<Finding>& all, const std::string& needle) {
  for (const auto& f : all)
    if (f.message.find(needle) != std::string::npos) return &f;
  return nullptr;
}
}  // namespace

TEST(CheckBaseline, MetricsCarryTheirSamplesAndDefaultBounds) {
  const auto r = two_nodes(1e9);
  // Per node: median_core, slowest_core, copy, triad; the CPU model's median_core.
  ASSERT_EQ(r.metrics.size(), 9u);
  const auto& m = r.metrics[0];
  EXPECT_EQ(m.key(), "node a median_core");
  EXPECT_EQ(m.samples.size(), 6u);  // both ranks' three repetitions
  EXPECT_EQ(*m.lower, -0.15);
  EXPECT_FALSE(m.upper);
  EXPECT_EQ(r.metrics[3].key(), "node a triad (2 ranks)");
  EXPECT_DOUBLE_EQ(r.metrics[3].samples[2], 40e9);  // pass 3 of both ranks together
  EXPECT_EQ(r.metrics[8].key(), "cpu CPU A median_core");
  // Links: a host pair is bounded (bandwidth -15%, latency +100%); within a host, kept but never judged.
  auto a = rank(0, "a", 1e9), a2 = rank(1, "a", 1e9), b = rank(2, "b", 1e9);
  a.links = {{1, 2, 1e-6, 1e9, {1e-6}, {1e9}}, {2, 1, 9e-6, 5e9, {9e-6}, {5e9}}};
  a2.links = {{2, 0, 9e-6, 5e9, {9e-6}, {5e9}}, {0, 2, 1e-6, 1e9, {1e-6}, {1e9}}};
  b.links = {{0, 1, 9e-6, 1e9, {9e-6}, {1e9}}, {1, 0, 9e-6, 1e9, {9e-6}, {1e9}}};
  const auto with_links = judge({a, a2, b}, {}, {});
  std::map<std::string, const Metric*> by_key;
  for (const auto& metric : with_links.metrics) by_key[metric.key()] = &metric;
  ASSERT_TRUE(by_key.count("link a -> b bandwidth") && by_key.count("link a -> a latency"));
  EXPECT_EQ(*by_key["link a -> b bandwidth"]->lower, -0.15);
  EXPECT_EQ(*by_key["link a -> b latency"]->upper, 1.0);
  EXPECT_FALSE(by_key["link a -> a bandwidth"]->lower || by_key["link a -> a bandwidth"]->upper);
  EXPECT_FALSE(by_key["link a -> a latency"]->lower || by_key["link a -> a latency"]->upper);
}

TEST(CheckBaseline, WithinBoundsPassesAndASlowerNodeFailsWithTheMetricNamed) {
  const Baseline base = baseline_of(two_nodes(1e9));
  auto same = two_nodes(0.95e9);  // 5% slower: within -15%
  judge_against(same, base);
  EXPECT_EQ(same.status, Status::pass);
  EXPECT_EQ(same.baseline->compared, 9);
  EXPECT_EQ(same.baseline->outside, 0);

  // Node b at 70% of its baseline: its peers cannot see it against one other node (70% of a median of
  // two, 0.85), the baseline does.
  auto slow = two_nodes(0.8e9, 12e9);
  EXPECT_EQ(slow.status, Status::fail);  // memory: 24 of 40 GB/s -- the peers see that one
  auto slower_core = two_nodes(0.8e9);
  EXPECT_EQ(slower_core.status, Status::pass);  // 0.8 of the median 0.9: within 15% of the peers
  judge_against(slower_core, base);
  EXPECT_EQ(slower_core.status, Status::fail);
  EXPECT_EQ(slower_core.nodes[0].status, Status::pass);
  ASSERT_EQ(slower_core.nodes[1].status, Status::fail);
  const Finding* f = finding(slower_core.nodes[1].findings, "its median_core: 8e+08 terms/s, 80% of the baseline's 1e+09");
  ASSERT_NE(f, nullptr) << slower_core.nodes[1].findings[0].message;
  EXPECT_EQ(f->stage, "compute");
  EXPECT_NE(f->message.find("(base.json, 2026-12-01T00:00:00Z); bounds -15%"), std::string::npos) << f->message;
  // The CPU model's median (of 1, 1, 0.8, 0.8) is 90% of its baseline's: within.
  EXPECT_TRUE(slower_core.cluster_findings.empty());
  EXPECT_EQ(slower_core.baseline->outside, 2);  // node b's median and slowest core
  auto all_slower = judge({rank(0, "a", 0.7e9), rank(1, "b", 0.7e9)}, {}, {});
  judge_against(all_slower, base);  // a BIOS update that slowed every node: no peer sees it
  const Finding* model = finding(all_slower.cluster_findings, "CPU A median_core: 7e+08 terms/s, 70% of the baseline's 1e+09");
  ASSERT_NE(model, nullptr) << to_text(all_slower);
  EXPECT_EQ(model->status, Status::fail);

  // --tolerance replaces the lower bounds: 25% lets the 80% node pass.
  auto lenient = two_nodes(0.8e9);
  lenient.options.tolerance = 0.25, lenient.options.tolerance_given = true;
  judge_against(lenient, base);
  EXPECT_EQ(lenient.status, Status::pass);
}

TEST(CheckBaseline, ABoundEditedInTheFileIsTheOneUsed) {
  Baseline base = baseline_of(two_nodes(1e9));
  for (auto& m : base.metrics) m.lower = -0.02, m.upper = 0.02;  // ReFrame's (value, -2%, +2%)
  auto r = two_nodes(1.05e9);
  judge_against(r, base);
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_NE(finding(r.nodes[1].findings, "105% of the baseline's"), nullptr);
  EXPECT_NE(finding(r.nodes[1].findings, "bounds -2%/+2%"), nullptr);
}

namespace {
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) : path(std::filesystem::temp_directory_path() / "hs_test_baseline.json") {
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};
std::string error_of(const std::string& path) {
  try {
    read_baseline("--baseline", path);
  } catch (const hs::UserError& e) {
    return e.what();
  }
  return "";
}
nlohmann::json saved(const std::string& version) {
  auto r = two_nodes(1e9);
  auto j = to_json(r);
  j["schema_version"] = hs::kJsonSchemaVersion;
  j["context"] = {{"version", version + " (v0-1-gabc)"}, {"date", "2026-12-01T00:00:00Z"}};
  return j;
}
}  // namespace

TEST(CheckBaseline, BadBaselinesAreOneClearError) {
  EXPECT_EQ(error_of("/nonexistent/base.json"), "--baseline: cannot read '/nonexistent/base.json': No such file or directory");
  {
    TempFile t("{\"metrics\": [");
    EXPECT_NE(error_of(t.path).find("is not JSON"), std::string::npos) << error_of(t.path);
  }
  {
    TempFile t("{\"status\": \"PASS\"}");
    EXPECT_NE(error_of(t.path).find("is not a hyperslice check's JSON"), std::string::npos) << error_of(t.path);
  }
  {
    TempFile t(saved("0.0.1").dump());
    EXPECT_NE(error_of(t.path).find("was saved by hyperslice 0.0.1; this is " + hs::build_info().version),
              std::string::npos)
        << error_of(t.path);
    EXPECT_NO_THROW(read_check_json("compare", t.path));  // compare reads any version
  }
  {
    auto j = saved(hs::build_info().version);
    j["metrics"][0]["lower"] = 0.5;
    TempFile t(j.dump());
    EXPECT_NE(error_of(t.path).find("node a median_core: the lower bound 0.5 is not a fraction in (-1, 0]"), std::string::npos)
        << error_of(t.path);
  }
  {
    TempFile t(saved(hs::build_info().version).dump());
    const auto b = read_baseline("--baseline", t.path);
    EXPECT_EQ(b.metrics.size(), 9u);
    EXPECT_EQ(b.date, "2026-12-01T00:00:00Z");
  }
}

TEST(Compare, ASignificantFallBeyondToleranceRegressesNoiseDoesNot) {
  const Baseline before = baseline_of(two_nodes(1e9));
  auto same = compare(before, baseline_of(two_nodes(1e9)), {});
  EXPECT_EQ(same.regressions, 0);
  EXPECT_EQ(same.changes.size(), 9u);
  const auto half = compare(before, baseline_of(two_nodes(0.5e9)), {});
  // Node b's median (6 samples against 6) and the model's (12 against 12) regressed; its slowest core
  // (3 repetitions against 3) cannot reach p < 0.05 however far it fell.
  EXPECT_EQ(half.regressions, 2);
  for (const auto& c : half.changes) {
    if (c.after.key() == "node b median_core") {
      EXPECT_EQ(c.change, Change::regressed);
      EXPECT_FALSE(c.test->exact);  // the two ranks' repetitions tie: the approximation
      EXPECT_LT(c.test->p, 0.01);
      EXPECT_DOUBLE_EQ(c.ratio, 0.5);
    }
    if (c.after.key() == "node b slowest_core") {
      EXPECT_EQ(c.change, Change::same);
    }
  }
  EXPECT_NE(to_text(half).find("compare: FAIL -- 9 metrics in both, 2 regressed beyond 15% at p < 0.05"), std::string::npos)
      << to_text(half);
  // 10% slower and significant, but within the tolerance: no regression.
  EXPECT_EQ(compare(before, baseline_of(two_nodes(0.9e9)), {}).regressions, 0);
  EXPECT_EQ(compare(before, baseline_of(two_nodes(0.9e9)), {0.05, 0.05}).regressions, 2);
  // Faster is an improvement, never a failure.
  const auto faster = compare(before, baseline_of(two_nodes(2e9)), {});
  EXPECT_EQ(faster.regressions, 0);
  EXPECT_EQ(faster.changes[4].change, Change::improved);
}

TEST(Compare, BadAlphaIsRefused) {
  EXPECT_THROW(parse_alpha("--alpha", "0"), hs::UserError);
  EXPECT_THROW(parse_alpha("--alpha", "0.6"), hs::UserError);
  EXPECT_THROW(parse_alpha("--alpha", "x"), hs::UserError);
  EXPECT_DOUBLE_EQ(parse_alpha("--alpha", "0.01"), 0.01);
}
