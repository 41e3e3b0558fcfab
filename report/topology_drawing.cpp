// One host drawn from hwloc's facts in the survey's JSON (docs/schema/host.schema.json), lstopo's layout
// in spirit: the host's box holds its packages, NUMA nodes and shared caches as nested boxes -- as many
// of those levels as nest in one another, the coarsest outside (lstopo draws the same tree from hwloc's
// objects) -- then its cores, each with its PUs labelled P# (the OS's index, what taskset takes). On each
// PU the rank and thread that ran there, in the rank's colour.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "report/html.hpp"
#include "report/parts.hpp"

namespace hs::report {
namespace {

using Cores = std::set<int>;

struct Level {
  std::vector<std::pair<std::string, Cores>> groups;
  [[nodiscard]] double mean_size() const {
    double n = 0;
    for (const auto& g : groups) n += static_cast<double>(g.second.size());
    return groups.empty() ? 0 : n / static_cast<double>(groups.size());
  }
};

std::string bytes_words(double b) {
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.3g} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.3g} MiB", b / (1024.0 * 1024));
  return fmt::format("{:.3g} KiB", b / 1024.0);
}

bool subset(const Cores& a, const Cores& b) { return std::includes(b.begin(), b.end(), a.begin(), a.end()); }

// Whether every group of `inner` lies inside one group of `outer`.
bool nests(const Level& inner, const Level& outer) {
  return std::all_of(inner.groups.begin(), inner.groups.end(), [&](const auto& g) {
    return std::any_of(outer.groups.begin(), outer.groups.end(), [&](const auto& o) { return subset(g.second, o.second); });
  });
}

bool same_partition(const Level& a, const Level& b) {
  if (a.groups.size() != b.groups.size()) return false;
  for (std::size_t i = 0; i < a.groups.size(); ++i)
    if (a.groups[i].second != b.groups[i].second) return false;
  return true;
}

// The levels that nest, coarsest first; two levels with the same groups become one ("NUMA L#0 · L3 32 MiB").
std::vector<Level> nesting_levels(const nlohmann::json& h) {
  std::vector<Level> all;
  const auto groups_of = [](const nlohmann::json& list, const auto& label) {
    Level l;
    for (const auto& g : list) l.groups.emplace_back(label(g), parse_list(g.value("cores_list", "")));
    return l;
  };
  if (h.contains("package_list"))
    all.push_back(groups_of(h["package_list"], [](const nlohmann::json& g) { return fmt::format("Package L#{}", g.value("index", 0)); }));
  if (h.contains("numa_list"))
    all.push_back(groups_of(h["numa_list"], [](const nlohmann::json& g) {
      const double mem = g.value("memory_bytes", 0.0);
      return fmt::format("NUMA L#{}{}", g.value("index", 0), mem > 0 ? " (" + bytes_words(mem) + ")" : std::string());
    }));
  // Shared caches (data or unified), one level per cache level; a per-core cache is the core's caption.
  std::map<int, Level> caches;
  std::map<int, bool> shared;
  for (const auto& c : h.value("caches", nlohmann::json::array())) {
    if (c.value("type", "") == "instruction") continue;
    const int level = c.value("level", 0);
    caches[level].groups.emplace_back(fmt::format("L{} {}", level, bytes_words(c.value("size_bytes", 0.0))),
                                      parse_list(c.value("cores_list", "")));
    shared[level] = shared[level] || c.value("cores", 0) > 1;
  }
  for (auto& [level, l] : caches)
    if (shared[level]) all.push_back(std::move(l));
  std::stable_sort(all.begin(), all.end(), [](const Level& a, const Level& b) { return a.mean_size() > b.mean_size(); });
  std::vector<Level> kept;
  for (auto& l : all) {
    if (l.groups.empty()) continue;
    if (!kept.empty() && same_partition(l, kept.back())) {
      for (std::size_t i = 0; i < l.groups.size(); ++i) kept.back().groups[i].first += " · " + l.groups[i].first;
      continue;
    }
    if (kept.empty() || nests(l, kept.back())) kept.push_back(std::move(l));
  }
  return kept;
}

struct Node {
  std::string label;
  int core = -1;  // a leaf: this core's L#
  std::vector<Node> children;
  double w = 0, h = 0;
  std::vector<std::pair<double, double>> at;  // each child's offset in this box
};

Node build(const std::vector<Level>& levels, std::size_t depth, const Cores& cores) {
  Node n;
  if (depth == levels.size()) {
    for (const int c : cores) n.children.push_back(Node{"", c, {}, 0, 0, {}});
    return n;
  }
  Cores left = cores;
  for (const auto& [label, group] : levels[depth].groups) {
    Cores mine;
    std::set_intersection(group.begin(), group.end(), cores.begin(), cores.end(), std::inserter(mine, mine.begin()));
    if (mine.empty()) continue;
    for (const int c : mine) left.erase(c);
    Node child = build(levels, depth + 1, mine);
    child.label = label;
    n.children.push_back(std::move(child));
  }
  if (!left.empty()) {  // cores outside this level's groups: one level down, directly here
    Node rest = build(levels, depth + 1, left);
    for (auto& c : rest.children) n.children.push_back(std::move(c));
  }
  return n;
}

constexpr double kPuW = 44, kPuH = 30, kGap = 4, kPad = 5, kLabelH = 14, kMaxRow = 1060;

void measure(Node& n, int smt) {
  if (n.core >= 0) {
    n.w = 2 * kPad + smt * kPuW + (smt - 1) * kGap;
    n.h = kLabelH + kPuH + 2 * kPad;
    return;
  }
  for (auto& c : n.children) measure(c, smt);
  double x = 0, y = 0, row_h = 0, w = 0;
  for (const auto& c : n.children) {
    if (x > 0 && x + c.w > kMaxRow) x = 0, y += row_h + kGap, row_h = 0;
    n.at.emplace_back(x, y);
    x += c.w + kGap;
    row_h = std::max(row_h, c.h);
    w = std::max(w, x - kGap);
  }
  n.w = std::max({w, 80.0, 6.2 * static_cast<double>(n.label.size())}) + 2 * kPad;  // its label fits (10 px)
  n.h = (n.label.empty() ? 0 : kLabelH) + y + row_h + 2 * kPad;
}

struct Occupant {
  int rank = 0, thread = -1;  // thread -1: the rank's binding (no per-thread facts)
};

struct Drawing {
  const std::vector<std::string>& pus_of_core;  // core L# -> its PUs (hwloc list)
  const std::map<int, std::vector<Occupant>>& on_pu;
  const Cores& allowed;
  bool know_allowed;
  Svg& svg;
  std::vector<int> idle, shared;
};

std::string occupant_words(const std::vector<Occupant>& os) {
  std::string s;
  for (const auto& o : os) {
    if (!s.empty()) s += '+';
    s += o.thread >= 0 ? fmt::format("r{}.{}", o.rank, o.thread) : fmt::format("r{}", o.rank);
  }
  return s;
}

void draw(const Node& n, double x, double y, Drawing& d, int depth) {
  if (n.core >= 0) {
    const auto core_pus = n.core < static_cast<int>(d.pus_of_core.size()) ? parse_list(d.pus_of_core[static_cast<std::size_t>(n.core)]) : Cores{};
    std::set<std::pair<int, int>> threads;
    for (const int pu : core_pus)
      if (auto it = d.on_pu.find(pu); it != d.on_pu.end())
        for (const auto& o : it->second) threads.insert({o.rank, o.thread});
    const bool overlap = threads.size() > 1;
    if (threads.empty()) d.idle.push_back(n.core);
    if (overlap) d.shared.push_back(n.core);
    d.svg.rect(x, y, n.w, n.h, "#fbfbf8",
               overlap ? fmt::format(R"(class="core overlap" data-core="{}")", n.core)
                       : fmt::format(R"(class="core{}" data-core="{}")", threads.empty() ? " idle" : "", n.core));
    d.svg.text(x + kPad, y + kPad + 9, fmt::format("Core L#{}{}", n.core, overlap ? " — shared" : threads.empty() ? " — idle" : ""),
               R"(class="small")");
    double px = x + kPad;
    for (const int pu : core_pus) {
      const auto it = d.on_pu.find(pu);
      const bool allowed = !d.know_allowed || d.allowed.count(pu) > 0;
      std::string fill(kIdle), label;
      std::string cls = "pu";
      if (it != d.on_pu.end() && !it->second.empty()) {
        fill = it->second.size() > 1 ? std::string(kFail) : std::string(series_colour(it->second.front().rank));
        label = occupant_words(it->second);
        cls += it->second.size() > 1 ? " overlap" : " busy";
      } else if (!allowed) {
        fill = "#c8c8c8", label = "not ours", cls += " disallowed";
      }
      d.svg.rect(px, y + kPad + kLabelH, kPuW, kPuH, fill,
                 fmt::format(R"(class="{}" data-pu="{}")", cls, pu));
      const auto ink = ink_on(fill);
      d.svg.text(px + 3, y + kPad + kLabelH + 11, fmt::format("P#{}", pu), fmt::format(R"(class="small" fill="{}")", ink));
      if (!label.empty())
        d.svg.text(px + 3, y + kPad + kLabelH + 25, label.size() > 9 ? label.substr(0, 8) + "…" : label,
                   fmt::format(R"(class="occ" fill="{}")", ink));
      px += kPuW + kGap;
    }
    return;
  }
  static constexpr std::array<std::string_view, 4> fills{"#e9eef5", "#eef5e9", "#f5efe6", "#f1e9f5"};
  if (depth > 0 || !n.label.empty()) {
    d.svg.rect(x, y, n.w, n.h, fills[static_cast<std::size_t>(depth) % fills.size()], R"(class="group")");
    if (!n.label.empty()) d.svg.text(x + kPad, y + kPad + 10, n.label, R"(class="label")");
  }
  const double top = y + kPad + (n.label.empty() ? 0 : kLabelH);
  for (std::size_t i = 0; i < n.children.size(); ++i)
    draw(n.children[i], x + kPad + n.at[i].first, top + n.at[i].second, d, depth + 1);
}

}  // namespace

std::string draw_host(const nlohmann::json& host, const nlohmann::json& placement, std::string& alt) {
  const std::string name = host.value("host", "?");
  std::vector<std::string> pus_of_core;
  for (const auto& s : host.value("smt_siblings", nlohmann::json::array())) pus_of_core.push_back(s.get<std::string>());
  const int cores = static_cast<int>(pus_of_core.size());
  int smt = 1;
  for (const auto& s : pus_of_core) smt = std::max<int>(smt, static_cast<int>(parse_list(s).size()));

  // Who ran where: each thread's PU (hello's and check's placement), else each bound rank's PUs.
  std::map<int, std::vector<Occupant>> on_pu;
  std::vector<std::string> placed, unbound;
  if (placement.is_array()) {
    for (const auto& r : placement) {
      if (r.value("host", "") != name) continue;
      const int rank = r.value("rank", 0);
      for (const auto& b : r.value("bindings", nlohmann::json::array())) {
        const int thread = b.value("thread", 0);
        int pu = b.value("running_pu", -1);
        if (pu < 0 && b.contains("pus")) {
          const auto set = parse_list(b["pus"].get<std::string>());
          if (!set.empty()) pu = *set.begin();
        }
        if (pu < 0) continue;
        on_pu[pu].push_back({rank, thread});
        placed.push_back(fmt::format("rank {} thread {} ran on P#{} (core L#{}; bound to P#{})", rank, thread, pu,
                                     b.value("core", -1), b.value("pus", std::string("?"))));
      }
    }
  } else {
    for (const auto& r : host.value("ranks", nlohmann::json::array())) {
      const int rank = r.value("rank", 0);
      const std::string pus = r.value("pus", "");
      if (!r.value("bound", false)) {
        unbound.push_back(fmt::format("rank {} (may run on P#{})", rank, pus));
        continue;
      }
      for (const int pu : parse_list(pus)) on_pu[pu].push_back({rank, -1});
      placed.push_back(fmt::format("rank {} bound to P#{}", rank, pus));
    }
  }

  const auto levels = nesting_levels(host);
  Cores all;
  for (int c = 0; c < cores; ++c) all.insert(c);
  Node root = build(levels, 0, all);
  measure(root, smt);
  const double title_h = 20;
  const std::string cpu = host.contains("cpu_model") && host["cpu_model"].is_string() ? host["cpu_model"].get<std::string>() : "";
  const std::string summary = fmt::format("{} package{}, {} NUMA node{}, {} core{}, {} PU{}{}", host.value("packages", 0),
                                          host.value("packages", 0) == 1 ? "" : "s", host.value("numa_nodes", 0),
                                          host.value("numa_nodes", 0) == 1 ? "" : "s", cores, cores == 1 ? "" : "s",
                                          host.value("pus", 0), host.value("pus", 0) == 1 ? "" : "s",
                                          smt > 1 ? fmt::format(" (SMT {})", smt) : "");
  // The per-core caches, for the caption (the drawing boxes only shared ones).
  std::string private_caches;
  std::set<std::string> seen;
  for (const auto& c : host.value("caches", nlohmann::json::array()))
    if (c.value("cores", 0) <= 1) {
      const std::string t = c.value("type", "");
      const std::string words = fmt::format("L{}{} {}", c.value("level", 0), t == "data" ? "d" : t == "instruction" ? "i" : "",
                                            bytes_words(c.value("size_bytes", 0.0)));
      if (!seen.insert(words).second) continue;
      if (!private_caches.empty()) private_caches += ", ";
      private_caches += words;
    }

  const std::string heading = fmt::format("{}{}{}", name, cpu.empty() ? "" : " — " + cpu,
                                          host.contains("memory_bytes") ? " — " + bytes_words(host.value("memory_bytes", 0.0)) : "");
  root.w = std::max(root.w, 7.2 * static_cast<double>(heading.size()) + 2 * kPad);  // the heading fits (12 px bold)
  const double width = root.w + 2, height = root.h + title_h + 2;
  alt.clear();
  Svg svg(width, height, fmt::format("Topology of {}", name), "", "topo");
  const Cores allowed = parse_list(host.value("allowed_pus", ""));
  Drawing d{pus_of_core, on_pu, allowed, host.contains("allowed_pus"), svg, {}, {}};
  svg.rect(1, 1, root.w, root.h + title_h, "#ffffff", R"(stroke="#333" stroke-width="1.5")");
  svg.text(1 + kPad, 15, heading, R"(class="host")");
  draw(root, 1, 1 + title_h, d, 0);

  alt = fmt::format("{}: {}{}. ", name, summary, private_caches.empty() ? "" : "; per core " + private_caches);
  alt += placed.empty() ? std::string("No rank placed here. ") : fmt::format("{}. ", fmt::join(placed, "; "));
  if (!unbound.empty()) alt += fmt::format("Not bound: {}. ", fmt::join(unbound, "; "));
  const auto cores_words = [](const std::vector<int>& v) {
    std::string s;
    for (const int c : v) {
      s += s.empty() ? "L#" : ", L#";
      s += std::to_string(c);
    }
    return s;
  };
  if (!d.idle.empty() && (!placed.empty() || !unbound.empty())) alt += fmt::format("Idle cores: {}. ", cores_words(d.idle));
  if (!d.shared.empty()) alt += fmt::format("Cores with more than one thread or rank: {}.", cores_words(d.shared));
  // the desc element holds the same words
  std::string out = svg.str();
  const auto at = out.find("<desc></desc>");
  if (at != std::string::npos) out.replace(at, 13, "<desc>" + esc(alt) + "</desc>");
  return out;
}

}  // namespace hs::report
