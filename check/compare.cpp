#include "check/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/user_error.hpp"

namespace hs::check {

double parse_alpha(std::string_view what, std::string_view text) {
  const std::string t(text);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(v > 0 && v <= 0.5))
    throw UserError(fmt::format("{}: expected a significance level above 0 and at most 0.5 (0.05 for 5%), got '{}'", what, text));
  return v;
}

std::string_view name(Change c) noexcept {
  return c == Change::regressed ? "REGRESSED" : c == Change::improved ? "improved" : "same";
}

CompareReport compare(const Baseline& before, const Baseline& after, const CompareOptions& o) {
  CompareReport r{o, before, after, {}, {}, {}, 0};
  std::map<std::string, const Metric*> old_by_key, new_by_key;
  for (const auto& m : before.metrics) old_by_key[m.key()] = &m;
  for (const auto& m : after.metrics) new_by_key[m.key()] = &m;
  for (const auto& m : before.metrics)
    if (!new_by_key.count(m.key())) r.only_before.push_back(m.key());
  for (const auto& now : after.metrics) {
    const auto it = old_by_key.find(now.key());
    if (it == old_by_key.end()) {
      r.only_after.push_back(now.key());
      continue;
    }
    MetricChange c{*it->second, now, it->second->value > 0 ? now.value / it->second->value : 1,
                   measure::mann_whitney_u(it->second->samples, now.samples), Change::same};
    const double worse = now.higher_is_better ? 1 - c.ratio : c.ratio - 1;  // > 0: worse by that fraction
    const bool significant = c.test && c.test->p < o.alpha;
    if (significant && worse > o.tolerance) c.change = Change::regressed, ++r.regressions;
    if (significant && -worse > o.tolerance) c.change = Change::improved;
    r.changes.push_back(std::move(c));
  }
  return r;
}

std::string to_text(const CompareReport& r) {
  std::string out = fmt::format("compare: {} -- {} metrics in both, {} regressed beyond {:.0f}% at p < {:g}\n",
                                r.regressions ? "FAIL" : "PASS", r.changes.size(), r.regressions,
                                100 * r.options.tolerance, r.options.alpha);
  out += fmt::format("  before: {} (hyperslice {}, {})\n  after:  {} (hyperslice {}, {})\n", r.before.file,
                     r.before.version, r.before.date, r.after.file, r.after.version, r.after.date);
  out += fmt::format("{:<52} {:>18} {:>18} {:>8} {:>8}  {}\n", "metric", "before", "after", "change", "p", "verdict");
  for (const auto& c : r.changes) {
    const std::string p = c.test ? fmt::format("{:.4f}", c.test->p) : std::string("-");
    out += fmt::format("{:<52} {:>18} {:>18} {:>+7.1f}% {:>8}  {}{}\n", c.after.key(), value_words(c.before.value, c.before.unit),
                       value_words(c.after.value, c.after.unit), 100 * (c.ratio - 1), p, name(c.change),
                       c.test ? fmt::format(" ({}+{} samples)", c.before.samples.size(), c.after.samples.size())
                              : std::string(" (no samples)"));
  }
  for (const auto& k : r.only_before) out += fmt::format("only before: {}\n", k);
  for (const auto& k : r.only_after) out += fmt::format("only after: {}\n", k);
  return out;
}

nlohmann::json to_json(const CompareReport& r) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : r.changes)
    changes.push_back({{"metric", c.after.key()}, {"scope", c.after.scope}, {"subject", c.after.subject},
                       {"name", c.after.name}, {"unit", c.after.unit}, {"before", c.before.value},
                       {"after", c.after.value}, {"ratio", c.ratio},
                       {"p_value", c.test ? nlohmann::json(c.test->p) : nlohmann::json(nullptr)},
                       {"exact", c.test ? nlohmann::json(c.test->exact) : nlohmann::json(nullptr)},
                       {"samples", {c.before.samples.size(), c.after.samples.size()}},
                       {"verdict", name(c.change)}});
  const auto file = [](const Baseline& b) {
    return nlohmann::json{{"file", b.file}, {"version", b.version}, {"date", b.date}};
  };
  return {{"status", r.regressions ? "FAIL" : "PASS"},
          {"settings", {{"tolerance", r.options.tolerance}, {"alpha", r.options.alpha}}},
          {"before", file(r.before)}, {"after", file(r.after)},
          {"regressions", r.regressions}, {"changes", changes},
          {"only_before", r.only_before}, {"only_after", r.only_after}};
}

}  // namespace hs::check
