// One figure of a check that a baseline holds and `compare` tests: what it measures (scope, subject,
// name, unit, which way is better), its value, the samples behind it (the repetitions, passes or batches
// of every rank it sums up) and, ReFrame's way, the bounds a later run must keep: a lower and an upper
// threshold as fractions of the value (lower <= 0 <= upper; none: unbounded on that side).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hs::check {

struct Metric {
  std::string scope;    // node | cpu | link
  std::string subject;  // the host, the CPU model, "HOST -> HOST"
  std::string name;     // median_core | slowest_core | copy | triad | bandwidth | latency
  std::string unit;     // terms/s | B/s | s
  bool higher_is_better = true;
  double value = 0;
  std::vector<double> samples;
  std::optional<double> lower, upper;
  int ranks = 0;  // memory: the node's ranks streaming together (its sum depends on how many); else 0
  // "node HOST triad (2 ranks)": how a baseline and `compare` match a metric between two runs.
  [[nodiscard]] std::string key() const {
    return scope + ' ' + subject + ' ' + name + (ranks > 0 ? " (" + std::to_string(ranks) + " ranks)" : "");
  }
};

// The bounds a check writes into its own metrics: a throughput may fall `tolerance` below its value, a
// latency may double (small-message latency moves that much run to run on shared machines); neither is
// bounded on its good side -- a faster node is not a broken one.
void set_default_bounds(Metric& m, double tolerance);

// "12.34 GB/s", "0.52 us", "1.402e+10 terms/s": a value of the metric's unit for messages and tables.
std::string value_words(double value, const std::string& unit);

nlohmann::json to_json(const Metric& m);
Metric metric_from_json(const nlohmann::json& j);  // nlohmann::json's exceptions on a bad shape

}  // namespace hs::check
