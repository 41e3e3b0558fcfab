// A check's verdict as text and JSON.
#include <fmt/format.h>

#include "base/range_list.hpp"
#include "check/check.hpp"

namespace hs::check {
namespace {

std::string stages_of(const CheckOptions& o) {
  std::string s;
  for (const auto& [on, stage] :
       {std::pair{o.placement, "placement"}, {o.compute, "compute"}, {o.memory, "memory"}, {o.links, "links"}, {o.bits, "bits"}})
    if (on) {
      if (!s.empty()) s += ',';
      s += stage;  // (not "," + std::string: GCC 12's -Wrestrict misfires on that inlined operator+)
    }
  return s;
}

// Whether the links stage measured a sample of the steps 1..ranks-1 rather than all of them.
bool links_sampled(const CheckReport& r) {
  return measure::pattern_steps(static_cast<int>(r.ranks.size()), r.options.link_steps).size() + 1 < r.ranks.size();
}

nlohmann::json finding_json(const Finding& f) {
  return {{"stage", f.stage}, {"status", name(f.status)}, {"message", f.message}};
}

}  // namespace

std::string to_text(const CheckReport& r) {
  const std::string who =
      r.options.node ? fmt::format("this node, {} core{} (--node: one thread each)", r.ranks.size(), r.ranks.size() == 1 ? "" : "s")
                     : fmt::format("{} node{}, {} rank{}", r.nodes.size(), r.nodes.size() == 1 ? "" : "s", r.ranks.size(),
                                   r.ranks.size() == 1 ? "" : "s");
  std::string out = fmt::format("check: {} -- {}; stages {}; tolerance {:.0f}%\n", name(r.status), who,
                                stages_of(r.options), 100 * r.options.tolerance);
  out += fmt::format("{:<16} {:<6} {:<8} {:>16} {:>22} {:>10} {:>10}  {}\n", "node", "status",
                     r.options.node ? "cores" : "ranks", "median terms/s", "slowest core", "copy GB/s", "triad GB/s", "cpu");
  for (const auto& n : r.nodes) {
    const std::string slowest =
        r.options.compute ? fmt::format("{:.3g} (rank {})", n.slowest_rate, n.slowest_rank) : std::string("-");
    const std::string med = r.options.compute ? fmt::format("{:.3g}", n.median_rate) : std::string("-");
    const auto gbs = [&](double v) { return r.options.memory ? fmt::format("{:.1f}", v / 1e9) : std::string("-"); };
    out += fmt::format("{:<16} {:<6} {:<8} {:>16} {:>22} {:>10} {:>10}  {}\n", n.host, name(n.status),
                       range_list(n.ranks), med, slowest, gbs(n.copy), gbs(n.triad), n.cpu_model);
    for (const auto& f : n.findings) out += fmt::format("  {} {}: {}\n", name(f.status), f.stage, f.message);
  }
  for (const auto& f : r.cluster_findings) out += fmt::format("cluster: {} {}: {}\n", name(f.status), f.stage, f.message);
  if (r.options.memory && !r.ranks.empty())
    out += fmt::format("memory: STREAM-like copy and triad, every rank at once on its own {} MiB arrays, best of {} "
                       "passes (STREAM's byte counts)\n",
                       r.ranks.front().memory.array_bytes >> 20, r.ranks.front().memory.passes);
  if (r.options.links && !r.ranks.empty()) {
    const auto steps = measure::pattern_steps(static_cast<int>(r.ranks.size()), r.options.link_steps);
    out += fmt::format("links: mpiGraph's pattern, every rank sending to rank+k and receiving from rank-k at once, {} "
                       "step{}{}; host -> host, the slowest rank pair's GB/s (1 MiB) and the worst latency (8 B):\n",
                       steps.size(), steps.size() == 1 ? "" : "s",
                       links_sampled(r) ? fmt::format(" sampled evenly from the {}", r.ranks.size() - 1)
                           : std::string());
    for (const auto& l : r.links)
      out += fmt::format("  {:<16} -> {:<16} {:>8.3g} GB/s {:>8.1f} us  {} rank pair{}{}\n", l.from, l.to,
                         l.bandwidth / 1e9, l.latency * 1e6, l.pairs, l.pairs == 1 ? "" : "s",
                         l.from == l.to ? " (within the host: not judged)" : l.slow ? "  SLOW" : "");
  }
  if (r.baseline)
    out += fmt::format("baseline: {} (hyperslice {}, {}): {} metric{} compared, {} outside {} bounds\n", r.baseline->file,
                       r.baseline->version, r.baseline->date, r.baseline->compared, r.baseline->compared == 1 ? "" : "s",
                       r.baseline->outside, r.baseline->outside == 1 ? "its" : "their");
  if (r.options.bits && !r.ranks.empty())
    out += fmt::format("bits: {} kernels x the ISAs of each CPU, {} terms each{}\n", r.ranks.front().bits.size(),
                       kBitsTerms, r.status == Status::fail ? "" : ": the same on every rank");
  return out;
}

nlohmann::json to_json(const CheckReport& r) {
  nlohmann::json nodes = nlohmann::json::array(), ranks = nlohmann::json::array(), cluster = nlohmann::json::array();
  for (const auto& n : r.nodes) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : n.findings) findings.push_back(finding_json(f));
    nlohmann::json numa = nlohmann::json::array();
    for (const auto& [domain, bw] : n.numa) numa.push_back({{"numa", domain}, {"copy", bw.first}, {"triad", bw.second}});
    nodes.push_back({{"host", n.host}, {"cpu_model", n.cpu_model}, {"ranks", n.ranks}, {"status", name(n.status)},
                     {"median_rate", n.median_rate}, {"slowest_rate", n.slowest_rate}, {"slowest_rank", n.slowest_rank},
                     {"memory", {{"copy", n.copy}, {"triad", n.triad}, {"numa", numa}}},
                     {"findings", findings}});
  }
  for (const auto& f : r.ranks) ranks.push_back(to_json(f));
  for (const auto& f : r.cluster_findings) cluster.push_back(finding_json(f));
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : r.links)
    links.push_back({{"from", l.from}, {"to", l.to}, {"pairs", l.pairs}, {"bandwidth", l.bandwidth},
                     {"latency", l.latency}, {"slow", l.slow}});
  const auto steps = measure::pattern_steps(static_cast<int>(r.ranks.size()), r.options.link_steps);
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : r.metrics) metrics.push_back(to_json(m));
  nlohmann::json baseline = nullptr;
  if (r.baseline)
    baseline = {{"file", r.baseline->file}, {"version", r.baseline->version}, {"date", r.baseline->date},
                {"compared", r.baseline->compared}, {"outside", r.baseline->outside}, {"values", r.baseline->values}};
  return {{"status", name(r.status)},
          {"settings", {{"stages", stages_of(r.options)}, {"tolerance", r.options.tolerance},
                        {"min_time", r.options.discipline.min_time}, {"repetitions", r.options.discipline.repetitions},
                        {"memory_passes", r.options.memory_passes}, {"link_steps", r.options.link_steps},
                        {"bits_terms", kBitsTerms}, {"node", r.options.node},
                        {"expect", r.options.expect.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.options.expect)}}},
          {"nodes", nodes},
          {"cluster", cluster},
          {"links", {{"steps", steps.size()}, {"sampled", links_sampled(r)},
                     {"bytes", measure::kPatternBytes}, {"hosts", links}}},
          {"per_rank", ranks},
          {"metrics", metrics},
          {"baseline", baseline},
          {"warnings", topology::to_json(r.warnings)}};
}

}  // namespace hs::check
