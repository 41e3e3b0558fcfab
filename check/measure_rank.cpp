// One rank's measurements for `check`: the compute stage's best rate (measure::bench_this_core over
// every ISA, leibniz-grouped, best of the repetitions), the memory stage's STREAM-like copy and triad
// and the bits stage's exact sums.
#include <fmt/format.h>
#include <sched.h>

#include <algorithm>

#include "base/user_error.hpp"
#include "check/check.hpp"
#include "kernels/exact_accumulator.hpp"
#include "kernels/series.hpp"
#include "measure/node_bench.hpp"

namespace hs::check {

std::string_view name(Status s) noexcept { return s == Status::pass ? "PASS" : s == Status::warn ? "WARN" : "FAIL"; }

void select_stages(CheckOptions& o, std::string_view what, std::string_view list) {
  o.placement = o.compute = o.memory = o.links = o.bits = false;
  while (true) {
    const auto comma = list.find(',');
    const std::string_view stage = list.substr(0, comma);
    if (stage == "placement")
      o.placement = true;
    else if (stage == "compute")
      o.compute = true;
    else if (stage == "memory")
      o.memory = true;
    else if (stage == "links")
      o.links = true;
    else if (stage == "bits")
      o.bits = true;
    else
      throw UserError(fmt::format("{}: expected stages among placement, compute, memory, links, bits (comma-separated), got '{}'",
                                  what, stage));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

void make_quick(CheckOptions& o) {
  o.discipline = {0.01, 3};
  o.memory_passes = 3;
  o.link_steps = 8;
}

double parse_tolerance(std::string_view what, std::string_view text) {
  const std::string t(text);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(v > 0 && v < 1))
    throw UserError(fmt::format("{}: expected a fraction between 0 and 1 (0.15 for 15%), got '{}'", what, text));
  return v;
}

namespace {

// The last-level data cache as hwloc reports it: its size and how many cores share one instance.
std::pair<std::size_t, int> last_level_cache(const topology::Machine& machine) {
  std::pair<std::size_t, int> llc{0, 1};
  int level = 0;
  for (const auto& c : machine.summary("").caches)
    if (c.type != "instruction" && c.level > level && c.size_bytes > 0)
      level = c.level, llc = {static_cast<std::size_t>(c.size_bytes), std::max(1, c.where.cores)};
  return llc;
}

}  // namespace

RankFacts measure_this_rank(const CheckOptions& o, int rank, const std::string& host, const topology::Machine& machine,
                            const std::function<void()>& sync) {
  RankFacts f;
  f.rank = rank, f.host = host, f.cpu_model = machine.cpu_model();
  if (const int pu = sched_getcpu(); pu >= 0) f.numa = machine.numa_of_pu(pu);
  if (o.compute) {
    const auto node = measure::bench_this_core({kernels::Kernel::leibniz_grouped}, kernels::all_isas(), o.discipline);
    for (const auto& r : node.results)
      if (r.terms.max > f.best_rate)
        f.best_rate = r.terms.max, f.best_isa = std::string(kernels::name(r.isa)), f.rate_samples = r.terms.values;
  }
  if (o.memory) {
    const auto [llc, sharing] = last_level_cache(machine);
    f.memory = measure::stream_like(measure::stream_array_bytes(llc, sharing), o.memory_passes, sync);
  }
  if (o.bits) {
    for (const auto k : kernels::all_kernels())
      for (const auto isa : kernels::all_isas()) {
        if (!kernels::isa_supported(isa)) continue;
        const kernels::SeriesKernel kernel(k, kBitsTerms, isa);
        kernels::ExactAccumulator acc;
        for (std::uint64_t b = 0; b < kernel.blocks(); ++b) kernel.sum_block(b, acc);
        f.bits[std::string(kernels::name(k))][std::string(kernels::name(isa))] = kernels::hex_double(kernel.finish(acc));
      }
  }
  return f;
}

void keep_better(RankFacts& f, const RankFacts& again) {
  if (again.best_rate > f.best_rate) f.best_rate = again.best_rate, f.best_isa = again.best_isa, f.rate_samples = again.rate_samples;
  if (again.memory.verified && again.memory.triad > f.memory.triad) {
    const bool verified = f.memory.verified;  // a wrong value once is a fault, however fast the second round
    f.memory = again.memory;
    f.memory.verified = verified;
  }
  if (again.links.size() == f.links.size())  // the same steps: each one's better bandwidth and latency
    for (std::size_t i = 0; i < f.links.size(); ++i) {
      auto& l = f.links[i];
      const auto& a = again.links[i];
      if (a.bandwidth > l.bandwidth) l.bandwidth = a.bandwidth, l.bandwidth_batches = a.bandwidth_batches;
      if (a.latency < l.latency) l.latency = a.latency, l.latency_batches = a.latency_batches;
    }
}

namespace {
nlohmann::json links_json(const std::vector<measure::PairLink>& links) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& l : links)
    a.push_back({{"to", l.to}, {"from", l.from}, {"latency", l.latency}, {"bandwidth", l.bandwidth},
                 {"latency_batches", l.latency_batches}, {"bandwidth_batches", l.bandwidth_batches}});
  return a;
}
}  // namespace

nlohmann::json to_json(const RankFacts& f) {
  return {{"rank", f.rank}, {"host", f.host}, {"cpu_model", f.cpu_model}, {"best_rate", f.best_rate},
          {"best_isa", f.best_isa}, {"rate_samples", f.rate_samples}, {"numa", f.numa},
          {"memory", {{"array_bytes", f.memory.array_bytes}, {"passes", f.memory.passes}, {"copy", f.memory.copy},
                      {"triad", f.memory.triad}, {"verified", f.memory.verified},
                      {"copy_passes", f.memory.copy_passes}, {"triad_passes", f.memory.triad_passes}}},
          {"links", links_json(f.links)},
          {"bits", f.bits}};
}

RankFacts rank_facts_from_json(const nlohmann::json& j) {
  RankFacts f;
  j.at("rank").get_to(f.rank);
  j.at("host").get_to(f.host);
  j.at("cpu_model").get_to(f.cpu_model);
  j.at("best_rate").get_to(f.best_rate);
  j.at("best_isa").get_to(f.best_isa);
  j.at("rate_samples").get_to(f.rate_samples);
  j.at("numa").get_to(f.numa);
  const auto& m = j.at("memory");
  m.at("array_bytes").get_to(f.memory.array_bytes);
  m.at("passes").get_to(f.memory.passes);
  m.at("copy").get_to(f.memory.copy);
  m.at("triad").get_to(f.memory.triad);
  m.at("verified").get_to(f.memory.verified);
  m.at("copy_passes").get_to(f.memory.copy_passes);
  m.at("triad_passes").get_to(f.memory.triad_passes);
  for (const auto& l : j.at("links"))
    f.links.push_back({l.at("to"), l.at("from"), l.at("latency"), l.at("bandwidth"), l.at("latency_batches"),
                       l.at("bandwidth_batches")});
  j.at("bits").get_to(f.bits);
  return f;
}

}  // namespace hs::check
