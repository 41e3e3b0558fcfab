// The verdict rules (docs/check.md): a node fails when one of its cores is more than the tolerance below
// the median of the cores of its CPU model, when its memory bandwidth (its ranks' triads together) is
// more than the tolerance below the median of the nodes with its CPU model and rank count, when a
// memory pass left a wrong value, when every link from it (or to it) to other hosts is slow, or when one
// of its exact sums differs from the cluster's. A host pair whose slowest rank pair's bandwidth (under
// the mpiGraph load) is more than the tolerance below the median of the host pairs fails the cluster;
// the job's placement warnings make the cluster WARN (they say how it was started, not what a node is).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "check/check.hpp"
#include "measure/statistics.hpp"

namespace hs::check {
namespace {

using measure::median;

void add(NodeVerdict& n, Finding f) {
  n.status = std::max(n.status, f.status);
  n.findings.push_back(std::move(f));
}

// The value most (rank, ISA) pairs give for `kernel`; ties go to the lowest rank's.
std::string cluster_value(const std::vector<RankFacts>& ranks, const std::string& kernel) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto& r : ranks) {
    const auto it = r.bits.find(kernel);
    if (it == r.bits.end()) continue;
    for (const auto& isa_hex : it->second) {
      const std::string& hex = isa_hex.second;  // not a structured binding: clang 14 cannot capture one
      auto c = std::find_if(counts.begin(), counts.end(), [&](const auto& x) { return x.first == hex; });
      if (c == counts.end())
        counts.push_back({hex, 1});
      else
        ++c->second;
    }
  }
  const auto best = std::max_element(counts.begin(), counts.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  return best == counts.end() ? std::string() : best->first;
}

// Links: host x host from the rank pairs; pairs within a host (shared memory) are shown, not judged. A
// rank's bandwidth is what reached it from `from` (the link from -> it), its latency its exchange with
// `to` (the pair it -> to): each lands on its own host pair.
void judge_links(CheckReport& r, const CheckOptions& o) {
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) order[r.nodes[i].host] = i;
  std::map<std::pair<std::size_t, std::size_t>, HostLink> by_pair;
  const auto pair_of = [&](const std::string& from, const std::string& to) -> HostLink& {
    auto& h = by_pair[{order[from], order[to]}];
    h.from = from, h.to = to;
    return h;
  };
  const auto valid = [&](int rank) { return rank >= 0 && static_cast<std::size_t>(rank) < r.ranks.size(); };
  for (const auto& f : r.ranks)
    for (const auto& l : f.links) {
      if (!valid(l.to) || !valid(l.from)) continue;
      auto& in = pair_of(r.ranks[static_cast<std::size_t>(l.from)].host, f.host);
      in.bandwidth = in.pairs == 0 ? l.bandwidth : std::min(in.bandwidth, l.bandwidth);
      in.bandwidth_samples.insert(in.bandwidth_samples.end(), l.bandwidth_batches.begin(), l.bandwidth_batches.end());
      ++in.pairs;
      auto& out = pair_of(f.host, r.ranks[static_cast<std::size_t>(l.to)].host);
      out.latency = std::max(out.latency, l.latency);
      out.latency_samples.insert(out.latency_samples.end(), l.latency_batches.begin(), l.latency_batches.end());
    }
  std::vector<double> between;
  for (const auto& [key, h] : by_pair)
    if (h.from != h.to) between.push_back(h.bandwidth);
  const double med = median(between);
  std::map<std::string, std::pair<int, int>> slow_from, slow_to;  // host -> (slow, all) of its links
  for (auto& [key, h] : by_pair) {
    if (h.from == h.to) {
      r.links.push_back(h);
      continue;
    }
    h.slow = med > 0 && h.bandwidth < (1 - o.tolerance) * med;
    ++slow_from[h.from].second, ++slow_to[h.to].second;
    if (h.slow) {
      ++slow_from[h.from].first, ++slow_to[h.to].first;
      r.cluster_findings.push_back(
          {"links", Status::fail,
           fmt::format("{} -> {}: {:.3g} GB/s (the slowest of {} rank pairs, 1 MiB messages under load), {:.0f}% of the "
                       "median {:.3g} GB/s of the {} host pairs; latency {:.1f} us; tolerance {:.0f}%",
                       h.from, h.to, h.bandwidth / 1e9, h.pairs, 100 * h.bandwidth / med, med / 1e9, between.size(),
                       h.latency * 1e6, 100 * o.tolerance)});
    }
    r.links.push_back(h);
  }
  // A node all of whose links out (or in) are slow, among two or more, is the likely culprit: it fails.
  for (auto& n : r.nodes)
    for (const auto& [dir, counts] : {std::pair{"from", slow_from[n.host]}, {"to", slow_to[n.host]}})
      if (counts.second >= 2 && counts.first == counts.second)
        add(n, {"links", Status::fail,
                fmt::format("every link {} it is slow ({} of {} host pairs; see the cluster's findings)", dir,
                            counts.first, counts.second)});
}

}  // namespace

CheckReport judge(std::vector<RankFacts> ranks, std::vector<topology::Pitfall> placement, const CheckOptions& o) {
  CheckReport r;
  r.options = o;
  std::sort(ranks.begin(), ranks.end(), [](const RankFacts& a, const RankFacts& b) { return a.rank < b.rank; });
  r.ranks = std::move(ranks);
  for (const auto& f : r.ranks) {
    auto n = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeVerdict& x) { return x.host == f.host; });
    if (n == r.nodes.end()) {
      n = r.nodes.insert(r.nodes.end(), NodeVerdict{});
      n->host = f.host, n->cpu_model = f.cpu_model;
    }
    n->ranks.push_back(f.rank);
  }
  auto node_of = [&](const RankFacts& f) -> NodeVerdict& {
    return *std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeVerdict& x) { return x.host == f.host; });
  };

  if (o.compute) {
    for (auto& n : r.nodes) {
      std::vector<double> rates;
      for (const auto& f : r.ranks)
        if (f.host == n.host) {
          rates.push_back(f.best_rate);
          if (n.slowest_rank < 0 || f.best_rate < n.slowest_rate) n.slowest_rate = f.best_rate, n.slowest_rank = f.rank;
        }
      n.median_rate = median(rates);
    }
    for (const auto& f : r.ranks) {
      std::vector<double> peers;
      for (const auto& g : r.ranks)
        if (g.cpu_model == f.cpu_model) peers.push_back(g.best_rate);
      const double m = median(peers);
      if (m > 0 && f.best_rate < (1 - o.tolerance) * m)
        add(node_of(f), {"compute", Status::fail,
                         fmt::format("rank {}'s core: {:.3g} terms/s ({}), {:.0f}% of the median {:.3g} of the {} "
                                     "cores of its CPU model ({}); tolerance {:.0f}%",
                                     f.rank, f.best_rate, f.best_isa, 100 * f.best_rate / m, m, peers.size(),
                                     f.cpu_model.empty() ? "unknown" : f.cpu_model, 100 * o.tolerance)});
    }
  }
  if (o.memory) {
    for (const auto& f : r.ranks) {
      auto& n = node_of(f);
      n.copy += f.memory.copy, n.triad += f.memory.triad;
      auto& d = n.numa[f.numa];
      d.first += f.memory.copy, d.second += f.memory.triad;
      if (!f.memory.verified)
        add(n, {"memory", Status::fail,
                fmt::format("rank {}: the memory passes left wrong values in its arrays (bad memory, or a "
                            "miscompiled build)", f.rank)});
    }
    for (auto& n : r.nodes) {
      std::vector<double> peers;
      for (const auto& m : r.nodes)
        if (m.cpu_model == n.cpu_model && m.ranks.size() == n.ranks.size()) peers.push_back(m.triad);
      const double med = median(peers);
      if (med > 0 && n.triad < (1 - o.tolerance) * med)
        add(n, {"memory", Status::fail,
                fmt::format("triad {:.1f} GB/s over its {} ranks, {:.0f}% of the median {:.1f} GB/s of the {} nodes "
                            "with its CPU model and rank count; tolerance {:.0f}%",
                            n.triad / 1e9, n.ranks.size(), 100 * n.triad / med, med / 1e9, peers.size(),
                            100 * o.tolerance)});
    }
  }
  if (o.links) judge_links(r, o);
  if (o.bits && !r.ranks.empty()) {
    for (const auto& [kernel, by_isa] : r.ranks.front().bits) {
      const std::string want = cluster_value(r.ranks, kernel);
      for (const auto& f : r.ranks) {
        const auto it = f.bits.find(kernel);
        if (it == f.bits.end()) continue;
        for (const auto& [isa, hex] : it->second)
          if (hex != want) {
            add(node_of(f), {"bits", Status::fail,
                             fmt::format("rank {}: {} on {} gives {}, the cluster's {}", f.rank, kernel, isa, hex, want)});
            break;  // one line per rank and kernel
          }
      }
    }
  }
  if (o.placement)
    for (const auto& p : placement)
      r.cluster_findings.push_back({"placement", Status::warn, fmt::format("{} (see the warning above)", p.kind)});
  r.warnings = std::move(placement);
  r.metrics = metrics_of(r);
  settle(r);
  return r;
}

void settle(CheckReport& r) {
  r.status = Status::pass;
  for (const auto& n : r.nodes) r.status = std::max(r.status, n.status);
  for (const auto& f : r.cluster_findings) r.status = std::max(r.status, f.status);
}

}  // namespace hs::check
