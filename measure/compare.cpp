// The cross-rank comparison of a bench report: slow ranks, uneven hosts, slow links.
#include "measure/bench.hpp"

#include <map>
#include "measure/bench_views.hpp"

namespace hs::measure {

using namespace detail;

std::vector<topology::Pitfall> compare(const BenchReport& r, double threshold) {
  std::vector<topology::Pitfall> out;
  std::vector<const RankBench*> measured;
  for (const auto& rb : r.ranks)
    if (!rb.node.results.empty() && !rb.node.probes.empty()) measured.push_back(&rb);
  if (measured.size() >= 2) {
    const RankBench* fastest = *std::max_element(measured.begin(), measured.end(), [](auto* a, auto* b) {
      return a->best().terms.median < b->best().terms.median;
    });
    const RankBench* probe_leader = *std::max_element(measured.begin(), measured.end(), [](auto* a, auto* b) {
      return a->best_probe().divider.median < b->best_probe().divider.median;
    });
    const KernelRate& top = fastest->best();
    const double top_probe = probe_leader->best_probe().divider.median;
    for (const RankBench* rb : measured) {
      const KernelRate& b = rb->best();
      const double rate_gap = 1 - b.terms.median / top.terms.median;
      const double probe_gap = 1 - rb->best_probe().divider.median / top_probe;
      if (rate_gap < threshold && probe_gap < threshold) continue;
      const auto& probe = rb->best_probe();
      std::string what;
      if (rate_gap >= threshold)
        what = fmt::format("best {:.3g} terms/s ({}, {}) is {} below rank {}'s {:.3g} ({}, {})", b.terms.median,
                           name_of(b.kernel), name_of(b.isa), percent(rate_gap), fastest->rank, top.terms.median,
                           name_of(top.kernel), name_of(top.isa));
      if (probe_gap >= threshold)
        what += fmt::format("{}divider probe {:.3g}/s ({}) is {} below rank {}'s {:.3g}/s", what.empty() ? "" : "; its ",
                            probe.divider.median, name_of(probe.isa), percent(probe_gap), probe_leader->rank, top_probe);
      out.push_back({"slow_rank", fmt::format("rank {} on {}: {}. A slower or throttled core, fewer instruction sets, "
                                              "or a core shared with another process",
                                              rb->rank, rb->host, what)});
    }
  }
  for (const auto& [host, ranks] : by_host(r)) {
    std::vector<const RankBench*> here;
    for (const RankBench* rb : ranks)
      if (!rb->node.results.empty()) here.push_back(rb);
    if (here.size() < 2) continue;
    const auto [lo, hi] = std::minmax_element(here.begin(), here.end(), [](auto* a, auto* b) {
      return a->best().terms.median < b->best().terms.median;
    });
    const double gap = 1 - (*lo)->best().terms.median / (*hi)->best().terms.median;
    if (gap >= threshold)
      out.push_back({"uneven_host", fmt::format("ranks on {} differ: best {:.3g} terms/s on rank {} but {:.3g} on rank {} "
                                                "({} apart). Ranks sharing a core or SMT siblings, a throttled core, or "
                                                "a rank limited to fewer instruction sets",
                                                host, (*hi)->best().terms.median, (*hi)->rank, (*lo)->best().terms.median,
                                                (*lo)->rank, percent(gap))});
  }
  // Links: compare like with like (shared memory within rank 0's host, the network to other hosts).
  const std::string& home = host_of(r, 0);
  for (const bool local : {true, false}) {
    std::vector<const Link*> group;
    for (const auto& l : r.links)
      if ((host_of(r, l.peer) == home) == local && !l.points.empty()) group.push_back(&l);
    if (group.size() < 2) continue;
    double best_latency = 1e300, best_bandwidth = 0;
    for (const Link* l : group) {
      best_latency = std::min(best_latency, l->points.front().one_way_seconds);
      best_bandwidth = std::max(best_bandwidth, l->points.back().bandwidth);
    }
    for (const Link* l : group) {
      const double lat = l->points.front().one_way_seconds, bw = l->points.back().bandwidth;
      if (lat >= 2 * best_latency || bw <= 0.5 * best_bandwidth)
        out.push_back({"slow_link", fmt::format("link rank 0 - rank {} ({}): {:.1f} us one way at {} and {:.0f} MB/s at {}, "
                                                "against the best {} link's {:.1f} us and {:.0f} MB/s",
                                                l->peer, host_of(r, l->peer), lat * 1e6, size_name(l->points.front().bytes),
                                                bw / 1e6, size_name(l->points.back().bytes), local ? "same-host" : "inter-host",
                                                best_latency * 1e6, best_bandwidth / 1e6)});
    }
  }
  return out;
}

}  // namespace hs::measure
