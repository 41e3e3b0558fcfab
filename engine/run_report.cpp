// Formatting of RunResult; no computation beyond derived rates.
#include "engine/run_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "engine/compute.hpp"
#include "kernels/series.hpp"

namespace hs::engine {

std::string format_pi(double pi) { return fmt::format("{:.17g}", pi); }

const topology::RankPlacement& placement_of(const RunResult& r, int rank) {
  static const topology::RankPlacement unknown;
  for (const auto& p : r.survey.ranks)
    if (p.rank == rank) return p;
  return unknown;
}

nlohmann::json to_json(const RunResult& r) {
  const auto& c = r.config;
  nlohmann::json j;
  j["kernel"] = std::string(kernels::name(c.kernel));
  j["terms"] = c.terms;
  j["slices"] = c.slices;
  j["slice_size"] = c.slice_size;
  j["block_terms"] = kernels::kBlockTerms;
  j["ranks"] = r.ranks;
  j["threads"] = r.threads;
  j["schedule"] = std::string(name(c.schedule));
  if (c.schedule == Schedule::hierarchical) j["groups"] = r.groups;
  j["isa"] = r.isa;
  j["hosts"] = r.hosts;
  j["pi"] = r.pi;  // a JSON number: 17 significant digits, so it reads back to the same double
  j["pi_hex"] = kernels::hex_double(r.pi);
  j["error"] = r.pi - std::numbers::pi;
  j["seconds"] = r.seconds;
  j["resumed_slices"] = r.resumed_slices;
  j["checkpoint"] = c.checkpoint.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.checkpoint);
  j["terms_computed"] = r.terms_computed;
  j["terms_per_second"] = r.rate();
  auto& pr = j["per_rank"] = nlohmann::json::array();
  for (const auto& s : r.per_rank) {
    nlohmann::json rank = topology::placement_json(placement_of(r, s.rank));
    rank["rank"] = s.rank;
    rank["slices"] = s.slices;
    rank["blocks"] = s.blocks;
    rank["seconds"] = s.seconds;
    rank["max_rss_mb"] = s.max_rss_mb;
    pr.push_back(rank);
  }
  if (r.verification)
    j["verify"] = {{"exact", r.verification->exact},
                   {"exact_hex", kernels::hex_double(r.verification->exact)},
                   {"ulps", r.verification->ulps},
                   {"method", r.verification->method},
                   {"ok", r.verification->ulps <= 1}};
  j["warnings"] = topology::to_json(r.survey.pitfalls);
  return j;
}

std::string to_text(const RunResult& r) {
  const auto& c = r.config;
  std::string out;
  auto line = [&](std::string_view k, const std::string& v) { out += fmt::format("{:<9} {}\n", k, v); };
  line("pi", fmt::format("{}  ({})", format_pi(r.pi), kernels::hex_double(r.pi)));
  line("error", fmt::format("{:+.3e} vs pi", r.pi - std::numbers::pi));
  line("time", fmt::format("{:.6f} s", r.seconds));
  const std::string groups = c.schedule == Schedule::hierarchical ? fmt::format(", {} groups", r.groups) : "";
  line("kernel", fmt::format("{}, {} terms in {} slices of ~{:.0f} ({} schedule{})", kernels::name(c.kernel), c.terms,
                             c.slices, c.slice_size, name(c.schedule), groups));
  std::string hosts;
  for (const auto& h : r.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
  line("layout", fmt::format("{} rank{} x {} thread{} on {} host{} ({})", r.ranks, r.ranks == 1 ? "" : "s", r.threads,
                             r.threads == 1 ? "" : "s", r.hosts.size(), r.hosts.size() == 1 ? "" : "s", hosts));
  line("isa", r.isa);
  if (r.resumed_slices)
    line("resumed", fmt::format("{} of {} slices from checkpoint '{}'", r.resumed_slices, c.slices, c.checkpoint));
  if (r.terms_computed == c.terms)
    line("rate", fmt::format("{:.3e} terms/s", r.rate()));
  else  // a resumed run: the rate of what it computed itself
    line("rate", fmt::format("{:.3e} terms/s ({} terms computed in this run)", r.rate(), r.terms_computed));
  if (!r.verification)
    line("verify", !sums_for_real()                          ? "none (a simulator build sums nothing)"
                   : c.kernel == kernels::Kernel::midpoint ? "none (the midpoint rule has no closed form)"
                                                           : "skipped (--no-verify)");
  else
    line("verify", fmt::format("exact {}  ({}), {} ulp from it ({})", format_pi(r.verification->exact),
                               kernels::hex_double(r.verification->exact), r.verification->ulps,
                               r.verification->ulps <= 1 ? "ok" : "FAILED"));
  out += fmt::format("\n{:>5}  {:<20} {:>7}  {:<7} {:>7} {:>10}  {}\n", "rank", "host", "threads", "isa", "slices",
                     "seconds", "threads on cores");
  for (const auto& s : r.per_rank) {
    const topology::RankPlacement& p = placement_of(r, s.rank);
    std::string cores;
    for (const auto& t : p.thread_list) cores += fmt::format("{}{}", cores.empty() ? "" : ",", t.core);
    if (!p.pinned) cores += " (unpinned)";
    out += fmt::format("{:>5}  {:<20} {:>7}  {:<7} {:>7} {:>10.6f}  {}\n", s.rank, p.host, p.threads, p.isa, s.slices,
                       s.seconds, cores);
  }
  return out;
}

}  // namespace hs::engine
