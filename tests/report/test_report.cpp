// The report layer on given JSON: each of hyperslice's outputs recognised (and what is none refused),
// a hostile host name escaped everywhere, the topology drawing's nesting (packages, NUMA nodes and
// shared caches, whichever nest), its occupants (a thread per PU, two threads on one core an overlap,
// idle cores), and a check's failing node and slow link marked. The browser tests (tests/cli/
// test_report.py) open real reports.
#include <gtest/gtest.h>

#include <regex>

#include "base/user_error.hpp"
#include "report/html.hpp"
#include "report/parts.hpp"
#include "report/report.hpp"
#include "topology/machine.hpp"
#include "topology/survey.hpp"
#include "topology/survey_report.hpp"

using namespace hs::report;
using nlohmann::json;

namespace {

// A host's JSON as topology --json writes it, from an hwloc synthetic description.
json host_json(const std::string& synthetic, const std::string& name) {
  hs::topology::Survey s;
  s.hosts.push_back(hs::topology::Machine::synthetic(synthetic).summary(name));
  return hs::topology::topology_json(s, std::nullopt).at("hosts").at(0);
}

json binding(int rank, const std::string& host, std::vector<std::pair<int, int>> thread_pu) {
  json b = json::array();
  for (const auto& [t, pu] : thread_pu) b.push_back({{"thread", t}, {"pus", std::to_string(pu)}, {"running_pu", pu}, {"core", -1}, {"numa", 0}});
  return {{"rank", rank}, {"host", host}, {"bindings", b}};
}

std::size_t count(const std::string& s, const std::string& re) {
  const std::regex r(re);
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(s.begin(), s.end(), r), std::sregex_iterator()));
}

}  // namespace

TEST(Report, RecognisesEachOutputByItsKeys) {
  EXPECT_EQ(kind_of({{"status", "PASS"}, {"nodes", json::array()}, {"settings", json::object()}, {"per_rank", json::array()}}, "x"), Kind::check);
  EXPECT_EQ(kind_of({{"hello", json::array()}, {"per_rank", json::array()}}, "x"), Kind::hello);
  EXPECT_EQ(kind_of({{"hosts", json::array()}, {"per_rank", json::array()}, {"links", json::array()}}, "x"), Kind::bench);
  EXPECT_EQ(kind_of({{"hosts", json::array()}}, "x"), Kind::topology);
  EXPECT_EQ(kind_of({{"points", json::array()}, {"runs", json::array()}}, "x"), Kind::sweep);
  try {
    kind_of({{"changes", json::array()}, {"regressions", 0}}, "report: 'c.json'");
    FAIL();
  } catch (const hs::UserError& e) {
    EXPECT_STREQ(e.what(), "report: 'c.json': a compare's JSON, which the report does not draw: give it the two checks instead");
  }
  EXPECT_THROW(kind_of({{"pi", 3}}, "x"), hs::UserError);
  EXPECT_THROW(kind_of(json::array(), "x"), hs::UserError);
  EXPECT_THROW(kind_of({{"schema_version", 2}, {"hosts", json::array()}}, "x"), hs::UserError);
}

TEST(Report, EscapesWhatItWasGiven) {
  EXPECT_EQ(esc(R"(<b a="1">&'x')"), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;x&#39;");
  json topo = {{"schema_version", 1}, {"hosts", json::array({host_json("pack:1 core:2 pu:1", "<script>alert(1)</script>")})}};
  topo["context"] = {{"command_line", "hyperslice topology --json </section><b>"}};
  const std::string page = render_html({{"t.json", Kind::topology, topo}});
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.find("</section><b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(count(page, "<script>"), 1u);  // the page's own (sortable tables), nothing else
}

TEST(Report, DrawsTheLevelsThatNestCoarsestFirst) {
  std::string alt;
  // two packages of two NUMA nodes, one L3 per NUMA node: the NUMA and L3 levels are the same groups
  const std::string svg = draw_host(host_json("pack:2 numa:2 l3:1 core:2 pu:2", "big"), nullptr, alt);
  EXPECT_EQ(count(svg, ">Package L#\\d<"), 2u);
  EXPECT_EQ(count(svg, ">NUMA L#\\d \\([\\d.]+ [MG]iB\\) · L3 [\\d.]+ [KM]iB<"), 4u);
  EXPECT_EQ(count(svg, R"(class="core idle")"), 8u);
  EXPECT_EQ(count(svg, R"(class="pu")"), 16u);
  EXPECT_NE(alt.find("big: 2 packages, 4 NUMA nodes, 8 cores, 16 PUs (SMT 2)"), std::string::npos) << alt;
  EXPECT_NE(alt.find("No rank placed here."), std::string::npos);
  // an L3 shared by two NUMA nodes (sub-NUMA clustering): the L3 outside, its NUMA nodes inside
  const std::string snc = draw_host(host_json("pack:1 l3:1 numa:2 core:2 pu:1", "snc"), nullptr, alt);
  const auto l3 = snc.find(">Package L#0 · L3"), numa = snc.find(">NUMA L#0");
  ASSERT_NE(l3, std::string::npos) << snc;
  ASSERT_NE(numa, std::string::npos);
  EXPECT_LT(l3, numa);
}

TEST(Report, PlacesEachThreadOnItsPuAndMarksOverlaps) {
  std::string alt;
  json host = host_json("pack:1 core:4 pu:2", "n1");  // PUs 0-1 core 0, 2-3 core 1, ...
  // rank 0: threads on PUs 0 and 1 (both on core 0: an overlap); rank 1: PU 2; rank 2 elsewhere
  const json placement = json::array({binding(0, "n1", {{0, 0}, {1, 1}}), binding(1, "n1", {{0, 2}}), binding(2, "n2", {{0, 0}})});
  const std::string svg = draw_host(host, placement, alt);
  EXPECT_EQ(count(svg, R"(class="pu busy")"), 3u);
  EXPECT_EQ(count(svg, R"(class="core overlap" data-core="0")"), 1u);
  EXPECT_EQ(count(svg, R"(class="core idle")"), 2u);  // cores 2 and 3
  EXPECT_NE(svg.find(">r0.1<"), std::string::npos);
  EXPECT_NE(svg.find(">r1.0<"), std::string::npos);
  EXPECT_EQ(svg.find(">r2.0<"), std::string::npos);  // another host's rank
  EXPECT_NE(alt.find("Idle cores: L#2, L#3."), std::string::npos) << alt;
  EXPECT_NE(alt.find("Cores with more than one thread or rank: L#0."), std::string::npos) << alt;
  // two ranks bound to the same PU (topology --json: bindings only): one PU, two occupants
  host["ranks"] = json::array({{{"rank", 0}, {"pus", "4"}, {"bound", true}}, {{"rank", 1}, {"pus", "4"}, {"bound", true}},
                               {{"rank", 2}, {"pus", "0-7"}, {"bound", false}}});
  const std::string bound = draw_host(host, nullptr, alt);
  EXPECT_EQ(count(bound, R"(class="pu overlap" data-pu="4")"), 1u);
  EXPECT_NE(bound.find(">r0+r1<"), std::string::npos);
  EXPECT_NE(alt.find("Not bound: rank 2 (may run on P#0-7)."), std::string::npos) << alt;
}

TEST(Report, MarksTheFailingNodeAndTheSlowLink) {
  json check = {{"schema_version", 1}, {"status", "FAIL"}, {"settings", {{"stages", "compute,links"}, {"tolerance", 0.15}}},
                {"per_rank", json::array()}, {"cluster", json::array()}, {"baseline", nullptr},
                {"links", {{"steps", 2}, {"sampled", false}, {"bytes", 1 << 20}, {"hosts", json::array()}}}};
  for (const char* h : {"a", "b", "c"}) {
    const bool bad = std::string(h) == "b";
    check["nodes"].push_back({{"host", h}, {"status", bad ? "FAIL" : "PASS"}, {"ranks", {0}}, {"median_rate", bad ? 1e9 : 5e9},
                              {"findings", bad ? json::array({{{"stage", "compute"}, {"status", "FAIL"}, {"message", "slow core"}}}) : json::array()}});
    for (const char* to : {"a", "b", "c"})
      check["links"]["hosts"].push_back({{"from", h}, {"to", to}, {"pairs", 1}, {"bandwidth", std::string(h) == "a" && std::string(to) == "c" ? 1e7 : 1e9},
                                         {"latency", 1e-5}, {"slow", std::string(h) == "a" && std::string(to) == "c"}});
    check["hosts"].push_back(host_json("pack:1 core:1 pu:1", h));
  }
  const std::string page = render_html({{"c.json", Kind::check, check}});
  EXPECT_EQ(count(page, R"(<tr class="node FAIL" data-host="b")"), 1u);
  EXPECT_EQ(count(page, R"(<figure class="host FAIL" id="doc-1-host-b")"), 1u);
  EXPECT_EQ(count(page, R"(class="cell slow" data-from="a" data-to="c")"), 1u);
  EXPECT_EQ(count(page, R"(class="cell within")"), 6u);  // the diagonal of both heatmaps
  EXPECT_EQ(count(page, R"(class="bar fail" data-host="b")"), 1u);
  EXPECT_NE(page.find(R"(<div class="verdict-banner FAIL")"), std::string::npos);
  EXPECT_NE(page.find("<li><b>b</b>: compute: slow core</li>"), std::string::npos);
  // the failing node's row comes first
  EXPECT_LT(page.find(R"(<tr class="node FAIL")"), page.find(R"(<tr class="node PASS" data-host="a")"));
}
