// Judging a check against a baseline, ReFrame's way: each metric of the earlier run is a reference with
// a lower and an upper threshold (fractions of it); a metric of this run outside them fails its node (a
// node's metric) or the cluster (a CPU model's, a host pair's). The baseline is an earlier check's JSON --
// `--save-baseline` writes it, and its bounds can be edited there, metric by metric.
#include <fmt/format.h>

#include <map>

#include "base/bounded_file.hpp"
#include "base/version.hpp"
#include "check/check.hpp"

namespace hs::check {
namespace {

constexpr std::size_t kMaxBaselineBytes = std::size_t{64} << 20;

void check_bounds(std::string_view what, const std::string& path, const Metric& m) {
  if (m.lower && !(*m.lower <= 0 && *m.lower > -1))
    throw UserError(fmt::format("{}: '{}': {}: the lower bound {} is not a fraction in (-1, 0]", what, path, m.key(), *m.lower));
  if (m.upper && !(*m.upper >= 0))
    throw UserError(fmt::format("{}: '{}': {}: the upper bound {} is not a fraction of at least 0", what, path, m.key(), *m.upper));
}

std::string bounds_words(const Metric& m) {
  std::string w;
  if (m.lower) w += fmt::format("{:+.0f}%", 100 * *m.lower);
  if (m.upper) w += fmt::format("{}{:+.0f}%", w.empty() ? "" : "/", 100 * *m.upper);
  return w.empty() ? "unbounded" : w;
}

}  // namespace

Baseline read_check_json(std::string_view what, const std::string& path) {
  const std::string text = read_bounded_file(path, kMaxBaselineBytes, what, "a hyperslice check's JSON");
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw UserError(fmt::format("{}: '{}' is not JSON (a hyperslice check's --json output or --save-baseline file)", what, path));
  Baseline b;
  b.file = path;
  try {
    const std::string version = j.at("context").at("version").get<std::string>();
    b.version = version.substr(0, version.find(' '));
    b.date = j.at("context").at("date").get<std::string>();
    b.schema_version = j.at("schema_version").get<int>();
    if (b.schema_version != kJsonSchemaVersion)
      throw UserError(fmt::format("{}: '{}' has JSON schema version {}; this hyperslice reads {}", what, path,
                                  b.schema_version, kJsonSchemaVersion));
    for (const auto& m : j.at("metrics")) b.metrics.push_back(metric_from_json(m));
  } catch (const nlohmann::json::exception&) {
    throw UserError(fmt::format("{}: '{}' is not a hyperslice check's JSON (its context or metrics are missing or "
                                "malformed)", what, path));
  }
  for (const auto& m : b.metrics) check_bounds(what, path, m);
  return b;
}

Baseline read_baseline(std::string_view what, const std::string& path) {
  Baseline b = read_check_json(what, path);
  if (b.version != build_info().version)
    throw UserError(fmt::format("{}: '{}' was saved by hyperslice {}; this is {}, whose kernels may run at other "
                                "speeds: save a new one with --save-baseline (or see the change with `hyperslice compare`)",
                                what, path, b.version, build_info().version));
  return b;
}

void judge_against(CheckReport& r, const Baseline& b) {
  std::map<std::string, const Metric*> by_key;
  for (const auto& m : b.metrics) by_key[m.key()] = &m;
  BaselineSummary s{b.file, b.version, b.date, 0, 0, {}};
  for (const auto& now : r.metrics) {
    const auto it = by_key.find(now.key());
    if (it == by_key.end()) continue;
    Metric ref = *it->second;
    if (r.options.tolerance_given && ref.higher_is_better && ref.lower) ref.lower = -r.options.tolerance;
    ++s.compared;
    s.values[now.key()] = ref.value;
    const double ratio = ref.value > 0 ? now.value / ref.value : 1;
    const bool below = ref.lower && ratio < 1 + *ref.lower, above = ref.upper && ratio > 1 + *ref.upper;
    if (!below && !above) continue;
    ++s.outside;
    Finding f{now.scope == "link" ? "links" : now.name.find("core") != std::string::npos ? "compute" : "memory",
              Status::fail,
              fmt::format("{} {}: {}, {:.0f}% of the baseline's {} ({}, {}); bounds {}", now.scope == "node" ? "its" : now.subject,
                          now.name, value_words(now.value, now.unit), 100 * ratio, value_words(ref.value, ref.unit),
                          b.file, b.date, bounds_words(ref))};
    const auto node = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeVerdict& n) { return n.host == now.subject; });
    if (now.scope == "node" && node != r.nodes.end()) {
      node->status = std::max(node->status, f.status);
      node->findings.push_back(std::move(f));
    } else {
      r.cluster_findings.push_back(std::move(f));
    }
  }
  r.baseline = s;
  settle(r);
}

}  // namespace hs::check
