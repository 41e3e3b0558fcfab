#include "check/expect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "base/user_error.hpp"
#include "topology/layout.hpp"

namespace hs::check {
namespace {

int count_of(std::string_view what, std::string_view key, std::string_view value) {
  int n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > 1000000)
    throw UserError(fmt::format("{}: {}: expected a positive count, got '{}'", what, key, value));
  return n;
}

std::string plural(int n, std::string_view one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); }

// The logical cores a rank's binding (PU OS indexes) covers on its host.
int cores_of(const topology::HostSummary& host, const std::vector<int>& pus) {
  std::set<int> cores;
  for (const int pu : pus)
    if (pu >= 0 && static_cast<std::size_t>(pu) < host.core_of_pu.size() && host.core_of_pu[static_cast<std::size_t>(pu)] >= 0)
      cores.insert(host.core_of_pu[static_cast<std::size_t>(pu)]);
  return static_cast<int>(cores.size());
}

}  // namespace

Expectation parse_expectation(std::string_view what, std::string_view text) {
  Expectation e;
  e.text = std::string(text);
  if (text.empty()) throw UserError(fmt::format("{}: expected recommend or KEY=N items (nodes, ranks-per-node, cores-per-rank)", what));
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const auto eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    if (item == "recommend") {
      e.recommend = true;
    } else if (eq == std::string_view::npos || (key != "nodes" && key != "ranks-per-node" && key != "cores-per-rank")) {
      throw UserError(fmt::format("{}: unknown item '{}' (expected recommend, nodes=N, ranks-per-node=N, cores-per-rank=N)",
                                  what, item));
    } else {
      const int n = count_of(what, key, item.substr(eq + 1));
      (key == "nodes" ? e.nodes : key == "ranks-per-node" ? e.ranks_per_node : e.cores_per_rank) = n;
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (e.recommend && (e.ranks_per_node > 0 || e.cores_per_rank > 0))
    throw UserError(fmt::format("{}: recommend gives the ranks per node and cores per rank itself: state them, or "
                                "ask for recommend (with nodes=N at most)", what));
  return e;
}

void judge_expectation(CheckReport& r, const topology::Survey& survey, const Expectation& e) {
  const std::string why = fmt::format("--expect {}", e.text);
  if (e.nodes > 0 && static_cast<int>(survey.hosts.size()) != e.nodes)
    r.cluster_findings.push_back({"placement", Status::fail,
                                  fmt::format("the job has {}, expected {} ({})", plural(static_cast<int>(survey.hosts.size()), "node"),
                                              e.nodes, why)});
  for (const auto& host : survey.hosts) {
    auto node = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeVerdict& n) { return n.host == host.host; });
    if (node == r.nodes.end()) continue;
    int ranks = e.ranks_per_node, cores = e.cores_per_rank;
    std::string source = why;
    if (e.recommend) {
      const auto layout = topology::recommend(host, {});
      ranks = layout.ranks_per_node, cores = layout.threads_per_rank;
      source = fmt::format("{}: topology --recommend gives this host {} x {} each", why, plural(ranks, "rank"),
                           plural(cores, "core"));
    }
    const auto fail = [&](std::string message) {
      node->findings.push_back({"placement", Status::fail, std::move(message)});
      node->status = Status::fail;
    };
    std::vector<const topology::RankPlacement*> mine;
    for (const auto& p : survey.ranks)
      if (p.host == host.host) mine.push_back(&p);
    if (ranks > 0 && static_cast<int>(mine.size()) != ranks)
      fail(fmt::format("{} on this node, expected {} ({})", plural(static_cast<int>(mine.size()), "rank"), ranks, source));
    if (cores > 0) {
      std::vector<std::string> off;
      for (const auto* p : mine)
        if (const int c = cores_of(host, p->pus); c != cores) off.push_back(fmt::format("rank {} to {}", p->rank, c));
      if (!off.empty()) {
        std::string listed;
        for (std::size_t i = 0; i < off.size() && i < 4; ++i) listed += (i ? ", " : "") + off[i];
        if (off.size() > 4) listed += fmt::format(" and {} more", off.size() - 4);
        fail(fmt::format("{} of its {} bound to other than {} each ({}): {}", off.size(),
                         plural(static_cast<int>(mine.size()), "rank"), plural(cores, "core"), source, listed));
      }
    }
  }
  settle(r);
}

}  // namespace hs::check
