// A check's metrics (check/metric.hpp): per node its cores' median and slowest rate and its memory's copy
// and triad, per CPU model its cores' median, per host pair its bandwidth and latency under load -- each
// with the samples behind it, for `compare`'s significance test.
#include <fmt/format.h>

#include <algorithm>

#include "check/check.hpp"
#include "measure/statistics.hpp"

namespace hs::check {

void set_default_bounds(Metric& m, double tolerance) {
  if (m.higher_is_better)
    m.lower = -tolerance, m.upper.reset();
  else
    m.lower.reset(), m.upper = 1.0;
}

std::string value_words(double v, const std::string& unit) {
  if (unit == "B/s") return fmt::format("{:.2f} GB/s", v / 1e9);
  if (unit == "s") return fmt::format("{:.2f} us", v * 1e6);
  return fmt::format("{:.4g} {}", v, unit);
}

nlohmann::json to_json(const Metric& m) {
  const auto bound = [](const std::optional<double>& b) { return b ? nlohmann::json(*b) : nlohmann::json(nullptr); };
  return {{"scope", m.scope}, {"subject", m.subject}, {"name", m.name}, {"unit", m.unit},
          {"better", m.higher_is_better ? "higher" : "lower"}, {"value", m.value}, {"samples", m.samples},
          {"lower", bound(m.lower)}, {"upper", bound(m.upper)}, {"ranks", m.ranks > 0 ? nlohmann::json(m.ranks) : nlohmann::json(nullptr)}};
}

Metric metric_from_json(const nlohmann::json& j) {
  const auto text = [&](const char* key) { return j.at(key).get<std::string>(); };
  const auto bound = [&](const char* key) {
    return j.at(key).is_null() ? std::optional<double>() : std::optional<double>(j.at(key).get<double>());
  };
  return {text("scope"), text("subject"), text("name"), text("unit"), text("better") != "lower",
          j.at("value").get<double>(), j.at("samples").get<std::vector<double>>(), bound("lower"), bound("upper"),
          j.at("ranks").is_null() ? 0 : j.at("ranks").get<int>()};
}

namespace {

Metric make(std::string scope, std::string subject, std::string name, std::string unit, bool higher, double value,
            std::vector<double> samples, double tolerance) {
  Metric m{std::move(scope), std::move(subject), std::move(name), std::move(unit), higher, value, std::move(samples), {}, {}, 0};
  set_default_bounds(m, tolerance);
  return m;
}

// Pass p of the node: its ranks' pass p together (the passes are lined up by a barrier).
std::vector<double> node_passes(const CheckReport& r, const NodeVerdict& n, bool triad) {
  std::vector<double> sums;
  for (const auto& f : r.ranks) {
    if (f.host != n.host) continue;
    const auto& passes = triad ? f.memory.triad_passes : f.memory.copy_passes;
    if (sums.size() < passes.size()) sums.resize(passes.size(), 0);
    for (std::size_t p = 0; p < passes.size(); ++p) sums[p] += passes[p];
  }
  return sums;
}

}  // namespace

std::vector<Metric> metrics_of(const CheckReport& r) {
  const double tol = r.options.tolerance;
  std::vector<Metric> out;
  for (const auto& n : r.nodes) {
    if (r.options.compute) {
      std::vector<double> all, slowest;
      for (const auto& f : r.ranks)
        if (f.host == n.host) {
          all.insert(all.end(), f.rate_samples.begin(), f.rate_samples.end());
          if (f.rank == n.slowest_rank) slowest = f.rate_samples;
        }
      out.push_back(make("node", n.host, "median_core", "terms/s", true, n.median_rate, all, tol));
      out.push_back(make("node", n.host, "slowest_core", "terms/s", true, n.slowest_rate, slowest, tol));
    }
    if (r.options.memory) {
      for (const bool triad : {false, true}) {
        out.push_back(make("node", n.host, triad ? "triad" : "copy", "B/s", true, triad ? n.triad : n.copy,
                           node_passes(r, n, triad), tol));
        out.back().ranks = static_cast<int>(n.ranks.size());
      }
    }
  }
  if (r.options.compute) {
    std::vector<std::string> models;
    for (const auto& n : r.nodes)
      if (std::find(models.begin(), models.end(), n.cpu_model) == models.end()) models.push_back(n.cpu_model);
    for (const auto& model : models) {
      std::vector<double> rates, samples;
      for (const auto& f : r.ranks)
        if (f.cpu_model == model) {
          rates.push_back(f.best_rate);
          samples.insert(samples.end(), f.rate_samples.begin(), f.rate_samples.end());
        }
      out.push_back(make("cpu", model.empty() ? "unknown" : model, "median_core", "terms/s", true, measure::median(rates),
                         samples, tol));
    }
  }
  for (const auto& l : r.links) {
    const std::string pair = l.from + " -> " + l.to;
    out.push_back(make("link", pair, "bandwidth", "B/s", true, l.bandwidth, l.bandwidth_samples, tol));
    out.push_back(make("link", pair, "latency", "s", false, l.latency, l.latency_samples, tol));
    if (l.from == l.to)  // within a host (shared memory): kept for compare, never judged, as among peers
      for (auto* m : {&out[out.size() - 2], &out.back()}) m->lower.reset(), m->upper.reset();
  }
  return out;
}

}  // namespace hs::check
