// `hyperslice compare OLD NEW`: every metric two checks share, its change and whether the change is
// significant -- the two-sided Mann-Whitney U test over the samples behind each (every repetition, pass
// or batch), as Google Benchmark's tools/compare.py tests its repetitions. A metric regressed when it is
// worse by more than the tolerance and the test says so at the significance level; that fails compare.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "measure/statistics.hpp"

namespace hs::check {

struct CompareOptions {
  double tolerance = 0.15;  // a change smaller than this is no regression, however significant
  double alpha = 0.05;      // compare.py's default significance level
};
// (0, 0.5]: a significance level; throws UserError naming `what`.
double parse_alpha(std::string_view what, std::string_view text);

enum class Change { same, improved, regressed };
std::string_view name(Change c) noexcept;

struct MetricChange {
  Metric before, after;
  double ratio = 1;  // after / before
  std::optional<measure::UTest> test;
  Change change = Change::same;
};

struct CompareReport {
  CompareOptions options;
  Baseline before, after;  // the files as read (their metrics are in `changes`)
  std::vector<MetricChange> changes;  // in the order of `after`'s metrics
  std::vector<std::string> only_before, only_after;  // metric keys in one of the two only
  int regressions = 0;
};

CompareReport compare(const Baseline& before, const Baseline& after, const CompareOptions& o);
std::string to_text(const CompareReport& r);
nlohmann::json to_json(const CompareReport& r);  // schema: docs/schema/compare.schema.json

}  // namespace hs::check
