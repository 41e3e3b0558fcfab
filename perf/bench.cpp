#include "perf/bench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "job/survey.hpp"

namespace hs::perf {
namespace {

using kernels::Isa;
using kernels::Kernel;

std::string name_of(Kernel k) { return std::string(kernels::name(k)); }
std::string name_of(Isa i) { return std::string(kernels::name(i)); }

nlohmann::json sample_json(const Sample& s) {
  return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"spread", s.spread()},
          {"repetitions", s.repetitions}, {"iterations", s.iterations}};
}

Sample sample_from_json(const nlohmann::json& j) {
  Sample s;
  s.median = j.at("median");
  s.min = j.at("min");
  s.max = j.at("max");
  s.repetitions = j.at("repetitions");
  s.iterations = j.at("iterations");
  return s;
}

std::string percent(double x) { return fmt::format("{:.0f}%", 100 * x); }

std::string size_name(std::size_t b) {
  return b >= (1u << 20) ? fmt::format("{} MiB", b >> 20) : b >= 1024 ? fmt::format("{} KiB", b >> 10) : fmt::format("{} B", b);
}

std::string rank_list(const std::vector<int>& ranks) {
  std::string out;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    std::size_t j = i;
    while (j + 1 < ranks.size() && ranks[j + 1] == ranks[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + (j > i ? fmt::format("{}-{}", ranks[i], ranks[j]) : std::to_string(ranks[i]));
    i = j;
  }
  return out;
}

// Hosts in order of their first rank, with their ranks.
std::vector<std::pair<std::string, std::vector<const RankBench*>>> by_host(const BenchReport& r) {
  std::vector<std::pair<std::string, std::vector<const RankBench*>>> out;
  for (const auto& rb : r.ranks) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& h) { return h.first == rb.host; });
    if (it == out.end()) {
      out.push_back({rb.host, {}});
      it = out.end() - 1;
    }
    it->second.push_back(&rb);
  }
  return out;
}

const std::string& host_of(const BenchReport& r, int rank) {
  static const std::string unknown = "?";
  for (const auto& rb : r.ranks)
    if (rb.rank == rank) return rb.host;
  return unknown;
}

}  // namespace

const KernelRate& RankBench::best() const {
  if (node.results.empty()) throw std::logic_error("RankBench::best: no results");
  return *std::max_element(node.results.begin(), node.results.end(),
                           [](const KernelRate& a, const KernelRate& b) { return a.terms.median < b.terms.median; });
}

const ProbeRates& RankBench::best_probe() const {
  if (node.probes.empty()) throw std::logic_error("RankBench::best_probe: no probes");
  return *std::max_element(node.probes.begin(), node.probes.end(), [](const ProbeRates& a, const ProbeRates& b) {
    return a.divider.median < b.divider.median;
  });
}

BenchReport run_bench(MPI_Comm comm, const BenchOptions& options, const std::string& host, const std::string& cpu_model) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  BenchReport report;
  report.discipline = options.discipline;
  RankBench mine{rank, host, cpu_model, {}};
  MPI_Barrier(comm);  // all ranks start measuring together
  mine.node = bench_this_core(options.kernels, options.isas, options.discipline);
  const auto all = job::gather_json(comm, to_json(mine));
  MPI_Barrier(comm);  // nothing computes while the links are measured
  if (options.links) report.links = bench_links(comm);
  if (rank == 0) {
    for (const auto& j : all) report.ranks.push_back(rank_bench_from_json(j));
    report.warnings = compare(report);
  } else {
    report.ranks.push_back(std::move(mine));
  }
  return report;
}

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

nlohmann::json to_json(const RankBench& r) {
  nlohmann::json probes = nlohmann::json::array(), results = nlohmann::json::array();
  for (const auto& p : r.node.probes)
    probes.push_back({{"isa", name_of(p.isa)}, {"divider_probe", sample_json(p.divider)}, {"addmul_probe", sample_json(p.addmul)}});
  for (const auto& k : r.node.results) {
    double divider = 0, addmul = 0;
    for (const auto& p : r.node.probes)
      if (p.isa == k.isa) {
        divider = p.divider.median;
        addmul = p.addmul.median;
      }
    results.push_back({{"kernel", name_of(k.kernel)},
                       {"isa", name_of(k.isa)},
                       {"terms_per_second", k.terms.median},
                       {"terms", sample_json(k.terms)},
                       {"divider_probe", divider},
                       {"addmul_probe", addmul},
                       {"ceiling", k.ceiling.terms_per_second},
                       {"binding", k.ceiling.divider_bound ? "divider" : "add/multiply"},
                       {"fraction", k.fraction()}});
  }
  return {{"rank", r.rank}, {"host", r.host}, {"cpu_model", r.cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.cpu_model)},
          {"probes", probes}, {"results", results}};
}

RankBench rank_bench_from_json(const nlohmann::json& j) {
  RankBench r;
  r.rank = j.at("rank");
  r.host = j.at("host");
  r.cpu_model = j.at("cpu_model").is_null() ? std::string() : j.at("cpu_model").get<std::string>();
  for (const auto& p : j.at("probes"))
    r.node.probes.push_back({*kernels::parse_isa(p.at("isa").get<std::string>()), sample_from_json(p.at("divider_probe")),
                             sample_from_json(p.at("addmul_probe"))});
  for (const auto& k : j.at("results"))
    r.node.results.push_back({*kernels::parse_kernel(k.at("kernel").get<std::string>()),
                              *kernels::parse_isa(k.at("isa").get<std::string>()), sample_from_json(k.at("terms")),
                              {k.at("ceiling").get<double>(), k.at("binding") == "divider"}});
  return r;
}

nlohmann::json to_json(const BenchReport& r) {
  nlohmann::json per_rank = nlohmann::json::array(), hosts = nlohmann::json::array(), links = nlohmann::json::array(),
                 warnings = nlohmann::json::array();
  for (const auto& rb : r.ranks) per_rank.push_back(to_json(rb));
  for (const auto& [host, ranks] : by_host(r)) {
    std::vector<int> ids;
    const RankBench* lo = nullptr;
    const RankBench* hi = nullptr;
    for (const RankBench* rb : ranks) {
      ids.push_back(rb->rank);
      if (rb->node.results.empty()) continue;
      if (!lo || rb->best().terms.median < lo->best().terms.median) lo = rb;
      if (!hi || rb->best().terms.median > hi->best().terms.median) hi = rb;
    }
    nlohmann::json h = {{"host", host}, {"ranks", ids},
                        {"cpu_model", ranks.front()->cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(ranks.front()->cpu_model)}};
    if (hi) {
      h["best_kernel"] = name_of(hi->best().kernel);
      h["best_isa"] = name_of(hi->best().isa);
      h["best_terms_per_second"] = hi->best().terms.median;
      h["slowest_rank"] = lo->rank;
      h["slowest_terms_per_second"] = lo->best().terms.median;
    }
    hosts.push_back(h);
  }
  for (const auto& l : r.links) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : l.points)
      points.push_back({{"bytes", p.bytes}, {"one_way_seconds", p.one_way_seconds}, {"bandwidth_bytes_per_second", p.bandwidth}});
    links.push_back({{"peer", l.peer}, {"host", host_of(r, l.peer)}, {"same_host", host_of(r, l.peer) == host_of(r, 0)},
                     {"points", points}});
  }
  for (const auto& w : r.warnings) warnings.push_back({{"kind", w.kind}, {"message", w.message}});
  return {{"settings", {{"min_time", r.discipline.min_time},
                        {"repetitions", r.discipline.repetitions},
                        {"mode", "all ranks at once, one core each; then rank 0 to each rank in turn"}}},
          {"per_rank", per_rank}, {"hosts", hosts}, {"links", links}, {"warnings", warnings}};
}

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

}  // namespace hs::perf
