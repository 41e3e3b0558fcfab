// A bench report as text.
#include "measure/bench.hpp"

#include "measure/bench_views.hpp"

namespace hs::measure {

using namespace detail;

std::string to_text(const BenchReport& r) {
  std::string out = fmt::format(
      "bench: every rank measures one core, all ranks at once (the load a run puts on a node); per value {} "
      "repetitions of at least {} s after calibration: median, spread = (max - min) / median\n",
      r.discipline.repetitions, r.discipline.min_time);
  for (const auto& [host, ranks] : by_host(r)) {
    std::vector<int> ids;
    for (const RankBench* rb : ranks) ids.push_back(rb->rank);
    out += fmt::format("\nhost {}{}, rank{} {}: terms/s per core\n", host,
                       ranks.front()->cpu_model.empty() ? "" : " (" + ranks.front()->cpu_model + ")",
                       ids.size() == 1 ? "" : "s", rank_list(ids));
    out += fmt::format("  {:<16} {:<7} {:>5} {:>9} {:>16} {:>16} {:>7} {:>9}  {:<12} {:>5}\n", "kernel", "isa", "ranks",
                       "median", "min (rank)", "max (rank)", "spread", "ceiling", "bound by", "of it");
    // Rows: every kernel x ISA pair any of the host's ranks measured, each summarised over those ranks.
    std::vector<const KernelRate*> pairs;
    std::vector<const ProbeRates*> widths;
    for (const RankBench* rb : ranks) {
      for (const auto& k : rb->node.results)
        if (std::none_of(pairs.begin(), pairs.end(), [&](auto* p) { return p->kernel == k.kernel && p->isa == k.isa; }))
          pairs.push_back(&k);
      for (const auto& p : rb->node.probes)
        if (std::none_of(widths.begin(), widths.end(), [&](auto* q) { return q->isa == p.isa; })) widths.push_back(&p);
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](auto* a, auto* b) { return a->isa < b->isa; });
    std::stable_sort(widths.begin(), widths.end(), [](auto* a, auto* b) { return a->isa < b->isa; });
    for (const KernelRate* pair : pairs) {
      const KernelRate& first = *pair;
      double lo = 1e300, hi = 0, spread = 0, frac = 0, ceil = 0;
      int lo_rank = -1, hi_rank = -1, n = 0;
      std::vector<double> medians;
      for (const RankBench* rb : ranks)
        for (const auto& k : rb->node.results)
          if (k.kernel == first.kernel && k.isa == first.isa) {
            medians.push_back(k.terms.median);
            if (k.terms.median < lo) lo = k.terms.median, lo_rank = rb->rank;
            if (k.terms.median > hi) hi = k.terms.median, hi_rank = rb->rank;
            spread = std::max(spread, k.terms.spread());
            frac += k.fraction();
            ceil += k.ceiling.terms_per_second;
            ++n;
          }
      std::sort(medians.begin(), medians.end());
      const std::size_t m = medians.size();
      const double median = m % 2 ? medians[m / 2] : (medians[m / 2 - 1] + medians[m / 2]) / 2;
      out += fmt::format("  {:<16} {:<7} {:>5} {:>9.3g} {:>16} {:>16} {:>7} {:>9.3g}  {:<12} {:>5}\n", name_of(first.kernel),
                         name_of(first.isa), n, median, fmt::format("{:.3g} ({})", lo, lo_rank),
                         fmt::format("{:.3g} ({})", hi, hi_rank), fmt::format("{:.1f}%", 100 * spread), ceil / n,
                         first.ceiling.divider_bound ? "divider" : "add/multiply", percent(frac / n));
    }
    out += "  ceilings per core (medians over the host's ranks):";
    for (const ProbeRates* width : widths) {
      const ProbeRates& p = *width;
      std::vector<double> div, am;
      for (const RankBench* rb : ranks)
        for (const auto& q : rb->node.probes)
          if (q.isa == p.isa) div.push_back(q.divider.median), am.push_back(q.addmul.median);
      std::sort(div.begin(), div.end());
      std::sort(am.begin(), am.end());
      out += fmt::format(" {} {:.3g} div/s, {:.3g} add+mul/s;", name_of(p.isa), div[div.size() / 2], am[am.size() / 2]);
    }
    out.back() = '\n';
  }
  out += fmt::format("\n{:<24} {:>6}  {:<28} {:>10}  {:<20}\n", "summary: host", "ranks", "best kernel, isa",
                     "terms/s", "slowest rank");
  for (const auto& [host, ranks] : by_host(r)) {
    const RankBench* lo = nullptr;
    const RankBench* hi = nullptr;
    for (const RankBench* rb : ranks) {
      if (rb->node.results.empty()) continue;
      if (!lo || rb->best().terms.median < lo->best().terms.median) lo = rb;
      if (!hi || rb->best().terms.median > hi->best().terms.median) hi = rb;
    }
    if (!hi) continue;
    out += fmt::format("{:<24} {:>6}  {:<28} {:>10.3g}  {}\n", host, ranks.size(),
                       name_of(hi->best().kernel) + ", " + name_of(hi->best().isa), hi->best().terms.median,
                       fmt::format("{} ({:.3g}, {} below)", lo->rank, lo->best().terms.median,
                                   percent(1 - lo->best().terms.median / hi->best().terms.median)));
  }
  if (!r.links.empty()) {
    out += "\nMPI links, rank 0 to each rank in turn (ping-pong, best of 3 batches): one-way time; bandwidth\n";
    out += fmt::format("  {:>5}  {:<20}", "peer", "host");
    for (const auto b : link_sizes()) out += fmt::format(" {:>16}", size_name(b));
    out += "\n";
    for (const auto& l : r.links) {
      out += fmt::format("  {:>5}  {:<20}", l.peer, host_of(r, l.peer));
      for (const auto& p : l.points)
        out += p.bytes <= 1024 ? fmt::format(" {:>13.1f} us", p.one_way_seconds * 1e6)
                               : fmt::format(" {:>11.0f} MB/s", p.bandwidth / 1e6);
      out += "\n";
    }
  }
  return out;
}


}  // namespace hs::measure
