// Formatting only.
#include "topology/survey_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hs::topology {
namespace {

std::string gib(std::uint64_t bytes) { return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1u << 30)); }
std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// Under Slurm: the job, its step and how the ranks were started, then each Slurm node's ranks.
std::string slurm_text(const Survey& s) {
  if (s.ranks.empty() || !s.ranks.front().slurm) return {};
  const launch::SlurmTask& t = *s.ranks.front().slurm;
  std::string out = fmt::format("slurm: job {}, {}, {}", t.job_id, t.step_id.empty() ? "no step" : "step " + t.step_id,
                                t.srun ? "ranks started by srun" : "ranks started by the MPI launcher");
  if (t.cpus_per_task > 0) out += fmt::format(", cpus-per-task {}", t.cpus_per_task);
  std::vector<std::pair<std::string, std::string>> nodes;  // Slurm node -> its ranks
  for (const auto& r : s.ranks) {
    const std::string node = r.slurm ? r.slurm->node : "(outside Slurm)";
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.first == node; });
    if (it == nodes.end()) it = nodes.insert(nodes.end(), {node, ""});
    it->second += (it->second.empty() ? "" : ",") + std::to_string(r.rank);
  }
  out += "; nodes:";
  for (const auto& [node, ranks] : nodes) out += fmt::format(" {} (ranks {})", node, ranks);
  return out + "\n";
}

nlohmann::json hosts_json(const std::vector<launch::HostfileEntry>& hosts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hosts) out.push_back({{"host", h.host}, {"slots", h.slots}});
  return out;
}

}  // namespace

std::string hello_line(int rank, int ranks, const std::string& host) {
  return fmt::format("Hello, World! I am process {} of {} on {}.", rank, ranks, host);
}

std::string layout_text(const Layout& l) {
  std::string out = fmt::format(
      "recommended layout: {} x {} rank{} x {} thread{} per rank\n", l.nodes == 1 ? "1 node" : plural(l.nodes, "node"),
      l.ranks_per_node, l.ranks_per_node == 1 ? "" : "s", l.threads_per_rank, l.threads_per_rank == 1 ? "" : "s");
  out += "  " + l.command + "\n";
  for (const auto& r : l.reasons) out += "  because: " + r + "\n";
  for (const auto& n : l.notes) out += "  note: " + n + "\n";
  // Last, unindented, so that `sed -n '/^#!/,$p'` saves it as it is.
  if (!l.batch_script.empty()) out += "\n" + l.batch_script;
  return out;
}

std::string batch_script_text(const Layout& l, std::string_view made_by) {
  return launch::annotated_batch_script(l.batch_script, made_by, l.launch, l.reasons, l.notes);
}

nlohmann::json layout_json(const Layout& l) {
  return {{"nodes", l.nodes},
          {"ranks_per_node", l.ranks_per_node},
          {"threads_per_rank", l.threads_per_rank},
          {"unit", l.unit},
          {"command", l.command},
          {"argv", l.argv},
          {"batch_script", l.batch_script.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.batch_script)},
          {"reasons", l.reasons},
          {"notes", l.notes},
          {"hosts", hosts_json(l.hosts)}};
}

namespace {

std::string bytes(std::uint64_t b) {
  if (b >= (1ull << 30) && b % (1ull << 30) == 0) return fmt::format("{} GiB", b >> 30);
  if (b >= (1ull << 20) && b % (1ull << 20) == 0) return fmt::format("{} MiB", b >> 20);
  if (b >= (1ull << 10) && b % (1ull << 10) == 0) return fmt::format("{} KiB", b >> 10);
  if (b >= (1ull << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1u << 20));
  if (b >= (1ull << 10)) return fmt::format("{:.1f} KiB", static_cast<double>(b) / (1u << 10));
  return fmt::format("{} B", b);
}

// One line per cache kind (level and type), lstopo's names (L1d, L1i, L2, ...): size, line, how many,
// and who shares each: "one per core", or the cores (L#) of each instance.
std::string caches_text(const HostSummary& h) {
  std::string out;
  for (std::size_t i = 0; i < h.caches.size();) {
    std::size_t j = i;
    while (j < h.caches.size() && h.caches[j].level == h.caches[i].level && h.caches[j].type == h.caches[i].type) ++j;
    const Cache& c = h.caches[i];
    std::string name = fmt::format("L{}{}", c.level, c.type == "data" ? "d" : c.type == "instruction" ? "i" : "");
    std::string sizes;
    bool per_core = true;
    for (std::size_t k = i; k < j; ++k) {
      const std::string sz = bytes(h.caches[k].size_bytes);
      if (sizes.find(sz) == std::string::npos) sizes += (sizes.empty() ? "" : "/") + sz;
      per_core = per_core && h.caches[k].where.cores == 1;
    }
    std::string sharing;
    if (per_core) {
      sharing = "one per core";
    } else {
      for (std::size_t k = i; k < j && k < i + 8; ++k)
        sharing += fmt::format("{}L#{}: cores L#{}", k == i ? "" : "; ", h.caches[k].where.index,
                               h.caches[k].where.cores_list);
      if (j - i > 8) sharing += fmt::format("; ... ({} cores each)", h.caches[i].where.cores);
    }
    out += fmt::format("  {:<4} {} x {}{}: {}\n", name, sizes, j - i,
                       c.line_bytes ? fmt::format(", {} B lines", c.line_bytes) : "", sharing);
    i = j;
  }
  return out;
}

std::string smt_text(const HostSummary& h) {
  if (h.smt() <= 1) return "  SMT: none (1 PU per core)\n";
  std::string out = fmt::format("  SMT siblings ({} PUs per core):", h.smt());
  const std::size_t shown = std::min<std::size_t>(h.smt_siblings.size(), 8);
  for (std::size_t i = 0; i < shown; ++i) out += fmt::format(" core L#{} = PUs P#{}{}", i, h.smt_siblings[i], i + 1 < shown ? ";" : "");
  if (h.smt_siblings.size() > shown) out += fmt::format("; ... ({} cores)", h.smt_siblings.size());
  return out + "\n";
}

}  // namespace

std::string topology_text(const Survey& s, const std::optional<Layout>& layout) {
  std::string out;
  for (const auto& h : s.hosts) {
    out += fmt::format("host {} ({}){}: {}, {}, {}, {} ({}), {}\n", h.host, h.source,
                       h.cpu_model.empty() ? "" : ", " + h.cpu_model, plural(h.packages, "package"),
                       plural(h.numa_nodes, "NUMA node"), plural(h.cores, "core"), plural(h.pus, "PU"),
                       h.smt() > 1 ? fmt::format("SMT {}", h.smt()) : "no SMT", gib(h.memory_bytes));
    for (const auto& p : h.package_list)
      out += fmt::format("  package L#{}: cores L#{}, PUs P#{}\n", p.index, p.cores_list, p.pus_list);
    for (const auto& n : h.numa_list)
      out += fmt::format("  NUMA L#{}: {}, cores L#{}, PUs P#{}\n", n.index, gib(n.memory_bytes), n.cores_list,
                         n.pus_list);
    out += caches_text(h);
    out += smt_text(h);
    out += fmt::format("  allowed PUs: P#{}\n", h.allowed_pus);
    std::string ranks;
    for (const auto& r : s.ranks)
      if (r.host == h.host)
        ranks += fmt::format("{}{} ({}{})", ranks.empty() ? "" : ", ", r.rank, r.bound ? "PUs P#" : "",
                             r.bound ? list_string(r.pus) : std::string("unbound"));
    if (!ranks.empty()) out += fmt::format("  ranks here: {}\n", ranks);
  }
  out += slurm_text(s);
  if (layout) out += fmt::format("\n{}", layout_text(*layout));
  return out;
}

nlohmann::json topology_json(const Survey& s, const std::optional<Layout>& layout) {
  nlohmann::json hosts = nlohmann::json::array();
  for (const auto& h : s.hosts) {
    nlohmann::json j = to_json(h);
    j.erase("core_of_pu");
    j["ranks"] = nlohmann::json::array();
    for (const auto& r : s.ranks)
      if (r.host == h.host)
        j["ranks"].push_back({{"rank", r.rank},
                              {"pus", list_string(r.pus)},
                              {"bound", r.bound},
                              {"slurm", placement_json(r).at("slurm")}});
    hosts.push_back(j);
  }
  nlohmann::json out = {{"hosts", hosts}, {"warnings", to_json(s.pitfalls)}};
  if (layout) out["recommendation"] = layout_json(*layout);
  return out;
}

std::string hello_text(const Survey& s, int ranks) {
  std::string out;
  for (const auto& r : s.ranks) out += hello_line(r.rank, ranks, r.host) + "\n";
  out += fmt::format("\n{:>4} {:>6}  {:<16} {:<7} {:<7} {:<12} {:<10} {:>6} {:>5} {:>4}\n", "rank", "thread", "host",
                     "arch", "isa", "rank PUs", "thread PUs", "ran on", "core", "NUMA");
  for (const auto& r : s.ranks)
    for (const auto& t : r.thread_list)
      out += fmt::format("{:>4} {:>6}  {:<16} {:<7} {:<7} {:<12} {:<10} {:>6} {:>5} {:>4}\n", r.rank, t.thread, r.host,
                         r.arch, r.isa, list_string(r.pus), list_string(t.pus), t.running_pu, t.core, t.numa);
  if (!s.ranks.empty() && !s.ranks.front().pinned) out += "(" + s.ranks.front().pin_note + ")\n";
  out += slurm_text(s);
  return out;
}

nlohmann::json hello_json(const Survey& s, int ranks) {
  nlohmann::json lines = nlohmann::json::array(), per_rank = nlohmann::json::array();
  for (const auto& r : s.ranks) {
    lines.push_back(hello_line(r.rank, ranks, r.host));
    per_rank.push_back(placement_json(r));
  }
  return {{"ranks", ranks}, {"hello", lines}, {"per_rank", per_rank}, {"hosts", topology_json(s, std::nullopt).at("hosts")},
          {"warnings", to_json(s.pitfalls)}};
}

}  // namespace hs::topology
