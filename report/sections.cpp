// Each document's section of the report: a check (verdict, nodes, bars, link heatmaps, drawings, bits),
// bench, topology, hello and a sweep's results.json. Fields are read with defaults, so that a file
// written by an older hyperslice draws what it has.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/html.hpp"
#include "report/parts.hpp"

namespace hs::report {
namespace {

using nlohmann::json;

const json& field(const json& d, const char* key) {
  static const json null;
  return d.is_object() && d.contains(key) ? d[key] : null;
}
const json& list(const json& d, const char* key) {
  static const json empty = json::array();
  const json& v = field(d, key);
  return v.is_array() ? v : empty;
}
std::string str(const json& d, const char* key, std::string fallback = "") {
  const json& v = field(d, key);
  return v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : fallback;
}
double num(const json& d, const char* key, double fallback = 0) {
  const json& v = field(d, key);
  return v.is_number() ? v.get<double>() : fallback;
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string ranks_words(const json& ranks) {
  std::vector<int> v;
  for (const auto& r : ranks)
    if (r.is_number_integer()) v.push_back(r.get<int>());
  std::sort(v.begin(), v.end());
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ',';  // piece by piece: GCC 12's -Wrestrict misfires on `const char* + std::string`
    out += std::to_string(v[i]);
    if (j > i) out += '-', out += std::to_string(v[j]);
    i = j;
  }
  return out;
}

std::string findings_list(const json& findings, const char* css) {
  if (findings.empty()) return "";
  std::string out = fmt::format(R"(<ul class="{}">)", css);
  for (const auto& f : findings)
    out += fmt::format("<li>{} <b>{}</b>: {}</li>", badge(str(f, "status")), esc(str(f, "stage")), esc(str(f, "message")));
  return out + "</ul>";
}

std::string warnings_list(const json& d) {
  const json& w = list(d, "warnings");
  if (w.empty()) return "";
  std::string out = R"(<ul class="warnings">)";
  for (const auto& x : w) out += fmt::format("<li>{} <b>{}</b>: {}</li>", badge("WARN"), esc(str(x, "kind")), esc(str(x, "message")));
  return out + "</ul>";
}

std::string figure(const std::string& svg, const std::string& caption, const std::string& css = "") {
  return fmt::format(R"(<figure{}>{}<figcaption>{}</figcaption></figure>)", css.empty() ? "" : R"( class=")" + css + R"(")",
                     svg, caption);
}

std::string header(const json& d, const std::string& title, const std::string& source, int n, const std::string& css) {
  return fmt::format(R"(<section class="doc {}" id="doc-{}"><h2>{}</h2><p class="source">from {} · {}</p>)", css, n, title,
                     esc(source), esc(str(field(d, "context"), "date", "undated")));
}

// The baseline's value of a node's metric, by its key's start ("node HOST triad" matches "... (2 ranks)").
std::optional<double> baseline_value(const json& d, const std::string& key) {
  const json& values = field(field(d, "baseline"), "values");
  if (!values.is_object()) return std::nullopt;
  for (const auto& [k, v] : values.items())
    if ((k == key || k.rfind(key + " (", 0) == 0) && v.is_number()) return v.get<double>();
  return std::nullopt;
}

std::string check_links(const json& d, int n) {
  const json& links = field(d, "links");
  const json& hosts = list(links, "hosts");
  if (hosts.empty()) return "";
  std::vector<std::string> labels;
  for (const auto& node : list(d, "nodes")) labels.push_back(str(node, "host"));
  for (const auto& l : hosts)
    for (const char* k : {"from", "to"})
      if (std::find(labels.begin(), labels.end(), str(l, k)) == labels.end()) labels.push_back(str(l, k));
  const auto index = [&](const std::string& h) {
    return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), h) - labels.begin());
  };
  std::vector<std::vector<Cell>> bw(labels.size(), std::vector<Cell>(labels.size())), lat = bw;
  std::string rows;
  int slow = 0;
  for (const auto& l : hosts) {
    const auto i = index(str(l, "from")), j = index(str(l, "to"));
    const bool within = i == j, is_slow = field(l, "slow").is_boolean() && l["slow"].get<bool>();
    slow += is_slow;
    bw[i][j] = {num(l, "bandwidth"), is_slow, within};
    lat[i][j] = {num(l, "latency"), false, within};
    rows += fmt::format(R"(<tr class="{}"><td>{}</td><td>{}</td><td>{:.3g}</td><td>{:.1f}</td><td>{}</td><td>{}</td></tr>)",
                        is_slow ? "slow" : "", esc(str(l, "from")), esc(str(l, "to")), num(l, "bandwidth") / 1e9,
                        num(l, "latency") * 1e6, num(l, "pairs"),
                        within ? "within the host: not judged" : is_slow ? badge("FAIL") + " slow" : "");
  }
  std::string out = fmt::format(
      R"(<h3 id="doc-{}-links">Links</h3><p>mpiGraph's pattern: in each of {} step{} every rank sends to rank+k and receives from rank−k at once{}; each host pair shows its slowest rank pair's bandwidth ({} B messages) and its worst latency (8 B). {}.</p>)",
      n, num(links, "steps"), num(links, "steps") == 1 ? "" : "s",
      field(links, "sampled").is_boolean() && links["sampled"].get<bool>() ? " (the steps an even sample)" : "",
      num(links, "bytes"), slow ? fmt::format("<b>{} slow host pair{}</b>, outlined", slow, slow == 1 ? "" : "s") : "No slow host pair");
  out += R"(<div class="row">)";
  out += figure(heatmap("Bandwidth", "GB/s", 1e9, true, labels, bw, "slow"), "Bandwidth of each host pair, under load");
  out += figure(heatmap("Latency", "µs", 1e-6, false, labels, lat, "slow"), "Latency of each host pair");
  out += "</div>";
  out += R"(<details><summary>The numbers</summary><table class="sortable"><thead><tr><th>from</th><th>to</th><th>GB/s</th><th>µs</th><th>rank pairs</th><th></th></tr></thead><tbody>)" +
         rows + "</tbody></table></details>";
  return out;
}

std::string check_bits(const json& d, int n) {
  // kernel -> isa -> value -> ranks
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<int>>>> seen;
  std::set<std::string> isas;
  for (const auto& r : list(d, "per_rank")) {
    const json& bits = field(r, "bits");
    if (!bits.is_object()) continue;
    for (const auto& [kernel, by_isa] : bits.items())
      for (const auto& [isa, hex] : by_isa.items()) {
        seen[kernel][isa][hex.is_string() ? hex.get<std::string>() : "?"].push_back(r.value("rank", -1));
        isas.insert(isa);
      }
  }
  if (seen.empty()) return "";
  std::string out = fmt::format(
      R"(<h3 id="doc-{}-bits">Bits</h3><p>Each kernel's exact sum over the same terms on every ISA of every rank's CPU: one value per kernel when the cluster computes alike.</p><table class="bits"><thead><tr><th>kernel</th>)",
      n);
  for (const auto& isa : isas) out += "<th>" + esc(isa) + "</th>";
  out += "<th>verdict</th></tr></thead><tbody>";
  for (const auto& [kernel, by_isa] : seen) {
    std::set<std::string> values;
    for (const auto& [isa, by_value] : by_isa)
      for (const auto& [v, ranks] : by_value) values.insert(v);
    const bool same = values.size() == 1;
    out += fmt::format(R"(<tr class="{}"><td>{}</td>)", same ? "same" : "differ", esc(kernel));
    for (const auto& isa : isas) {
      const auto it = by_isa.find(isa);
      if (it == by_isa.end()) {
        out += "<td>-</td>";
        continue;
      }
      std::string cell;
      for (const auto& [v, ranks] : it->second)
        cell += fmt::format("{}<code>{}</code>{}", cell.empty() ? "" : "<br>", esc(v),
                            it->second.size() > 1 || !same ? fmt::format(" (ranks {})", ranks_words(json(ranks))) : "");
      out += "<td>" + cell + "</td>";
    }
    out += fmt::format("<td>{}</td></tr>", same ? badge("PASS") + " the same everywhere" : badge("FAIL") + " differ");
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string context_block(const json& d) {
  const json& c = field(d, "context");
  if (!c.is_object()) return "";
  std::string out = R"(<details class="context" open><summary>Context</summary><dl>)";
  for (const auto& [key, words] :
       std::vector<std::pair<const char*, const char*>>{{"version", "hyperslice"}, {"git_commit", "commit"}, {"build_type", "build"},
                                                        {"compiler", "compiler"}, {"mpi_library", "MPI"}, {"hwloc_version", "hwloc"},
                                                        {"hostname", "host (rank 0)"}, {"cpu_model", "CPU"}, {"date", "date"},
                                                        {"command_line", "command"}})
    if (const auto v = str(c, key); !v.empty())
      out += fmt::format("<dt>{}</dt><dd>{}</dd>", words, key == std::string_view("command_line") ? "<code>" + esc(v) + "</code>" : esc(v));
  return out + "</dl></details>";
}

std::string host_drawings(const json& hosts, const json& placement, const json& status, const std::string& id_prefix) {
  if (!hosts.is_array() || hosts.empty()) return "";
  std::string out = R"(<div class="hosts">)";
  for (const auto& h : hosts) {
    std::string alt;
    const std::string svg = draw_host(h, placement, alt);
    const std::string name = str(h, "host");
    const std::string st = status.is_object() && status.contains(name) ? status[name].get<std::string>() : "";
    out += fmt::format(R"(<figure class="host {}" id="{}-host-{}" data-host="{}">{}<figcaption>{}{}</figcaption></figure>)", st,
                       id_prefix, esc(name), esc(name), svg, st.empty() ? "" : badge(st) + " ", esc(alt));
  }
  out += "</div>";
  out += R"(<p class="legend small">Each PU box: P# (the OS's CPU number), and the rank.thread that ran there (rN: a rank bound there), in the rank's colour. Vermillion with a dashed outline: two threads or ranks on one PU or core; grey: idle; dashed grey: not in this process's cpuset.</p>)";
  return out;
}

std::string check_section(const json& d, const std::string& source, int n) {
  const json& settings = field(d, "settings");
  const json& nodes = list(d, "nodes");
  const bool node_mode = field(settings, "node").is_boolean() && settings["node"].get<bool>();
  const std::string status = str(d, "status", "?");
  std::string out = header(d, fmt::format("check {} — {}, {}", badge(status), plural(nodes.size(), "node"),
                                          plural(list(d, "per_rank").size(), node_mode ? "core" : "rank")),
                           source, n, "check");
  std::string stage_words = str(settings, "stages");
  std::replace(stage_words.begin(), stage_words.end(), ',', ' ');
  out += fmt::format("<p>Stages: {}; a core, node or link more than {:.0f}% below its peers' median fails.{}</p>",
                     esc(stage_words), 100 * num(settings, "tolerance"),
                     node_mode ? " One process, one thread per core (<code>--node</code>)." : "");
  const json& baseline = field(d, "baseline");
  if (baseline.is_object())
    out += fmt::format("<p>Against the baseline {} (hyperslice {}, {}): {} metrics compared, {} outside their bounds.</p>",
                       esc(str(baseline, "file")), esc(str(baseline, "version")), esc(str(baseline, "date")),
                       num(baseline, "compared"), num(baseline, "outside"));
  // The nodes that did not pass first; past 16 nodes the table scrolls on screen (printed whole).
  out += nodes.size() > 16 ? R"(<div class="scroll">)" : "<div>";
  out += R"(<table class="verdict sortable"><thead><tr><th>node</th><th>status</th><th>ranks</th><th>median terms/s</th><th>slowest core</th><th>copy GB/s</th><th>triad GB/s</th><th>CPU</th><th>findings</th></tr></thead><tbody>)";
  json node_status = json::object();
  std::vector<Bar> compute, memory;
  const std::string stages = str(settings, "stages");
  std::string failing_rows, passing_rows;
  for (const auto& node : nodes) {
    const std::string host = str(node, "host"), st = str(node, "status");
    node_status[host] = st;
    const json& mem = field(node, "memory");
    (st == "PASS" ? passing_rows : failing_rows) += fmt::format(
        R"(<tr class="node {}" data-host="{}" id="doc-{}-node-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="nowrap">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
        st, esc(host), n, esc(host), esc(host), badge(st), ranks_words(list(node, "ranks")),
        stages.find("compute") != std::string::npos ? si(num(node, "median_rate")) : "-",
        stages.find("compute") != std::string::npos ? fmt::format("{} (rank {})", si(num(node, "slowest_rate")), num(node, "slowest_rank")) : "-",
        stages.find("memory") != std::string::npos ? number_or_dash(field(mem, "copy"), 1e-9, "{:.1f}") : "-",
        stages.find("memory") != std::string::npos ? number_or_dash(field(mem, "triad"), 1e-9, "{:.1f}") : "-",
        esc(str(node, "cpu_model")), findings_list(list(node, "findings"), "findings"));
    compute.push_back({host, st, num(node, "median_rate"), baseline_value(d, "node " + host + " median_core")});
    memory.push_back({host, st, num(mem, "triad"), baseline_value(d, "node " + host + " triad")});
  }
  out += failing_rows + passing_rows + "</tbody></table></div>";
  if (const json& cluster = list(d, "cluster"); !cluster.empty())
    out += "<h3>The cluster</h3>" + findings_list(cluster, "findings cluster");
  out += warnings_list(d);
  std::string bars;
  if (stages.find("compute") != std::string::npos && !compute.empty())
    bars += figure(bar_chart("Compute: each node's median core", "G terms/s", 1e9, compute),
                   "The median of each node's cores' best kernel rate");
  if (stages.find("memory") != std::string::npos && !memory.empty())
    bars += figure(bar_chart("Memory: each node's triad", "GB/s", 1e9, memory),
                   "STREAM-like triad of each node's ranks at once");
  if (!bars.empty()) out += fmt::format(R"(<h3 id="doc-{}-bars">Compute and memory</h3><div class="row">{}</div>)", n, bars);
  out += check_links(d, n);
  if (const json& hosts = list(d, "hosts"); !hosts.empty())
    out += fmt::format(R"(<h3 id="doc-{}-hosts">Where every rank ran</h3>)", n) +
           host_drawings(hosts, field(d, "placement"), node_status, fmt::format("doc-{}", n));
  out += check_bits(d, n);
  out += context_block(d);
  return out + "</section>";
}

std::string bench_section(const json& d, const std::string& source, int n) {
  const json& hosts = list(d, "hosts");
  std::string out = header(d, fmt::format("bench — {}, {}", plural(hosts.size(), "host"), plural(list(d, "per_rank").size(), "rank")),
                           source, n, "bench");
  const json& settings = field(d, "settings");
  out += fmt::format("<p>{}; repetitions of at least {} s, {} of them.</p>", esc(str(settings, "mode")), num(settings, "min_time"),
                     num(settings, "repetitions"));
  out += R"(<table class="sortable"><thead><tr><th>host</th><th>CPU</th><th>best kernel</th><th>ISA</th><th>terms/s</th><th>slowest rank</th></tr></thead><tbody>)";
  for (const auto& h : hosts)
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>", esc(str(h, "host")),
                       esc(str(h, "cpu_model")), esc(str(h, "best_kernel")), esc(str(h, "best_isa")),
                       si(num(h, "best_terms_per_second")), num(h, "slowest_rank"), si(num(h, "slowest_terms_per_second")));
  out += "</tbody></table>" + warnings_list(d);
  std::vector<Bar> bars;
  std::string tables;
  for (const auto& r : list(d, "per_rank")) {
    double best = 0;
    std::string rows;
    for (const auto& x : list(r, "results")) {
      best = std::max(best, num(x, "terms_per_second"));
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.0f}%</td><td>{}</td></tr>", esc(str(x, "kernel")),
                          esc(str(x, "isa")), si(num(x, "terms_per_second")), 100 * num(x, "fraction"), esc(str(x, "binding")));
    }
    bars.push_back({fmt::format("rank {} ({})", num(r, "rank"), str(r, "host")), "", best, std::nullopt});
    tables += fmt::format(
        R"(<details><summary>rank {} on {}: every kernel and ISA</summary><table class="sortable"><thead><tr><th>kernel</th><th>ISA</th><th>terms/s</th><th>of its ceiling</th><th>bound by</th></tr></thead><tbody>{}</tbody></table></details>)",
        num(r, "rank"), esc(str(r, "host")), rows);
  }
  if (!bars.empty())
    out += figure(bar_chart("Each rank's best kernel", "G terms/s", 1e9, bars), "The fastest kernel and ISA of each rank, all at once");
  out += tables;
  std::vector<Series> series;
  for (const auto& l : list(d, "links")) {
    Series s{fmt::format("rank 0 → {} ({})", num(l, "peer"), str(l, "host")), {}, false};
    for (const auto& p : list(l, "points")) s.points.emplace_back(num(p, "bytes"), num(p, "bandwidth_bytes_per_second") / 1e9);
    series.push_back(std::move(s));
  }
  if (!series.empty())
    out += figure(line_plot("Link bandwidth from rank 0", "message bytes", "GB/s", series, true, true),
                  "Bandwidth by message size, rank 0 to each rank in turn");
  out += context_block(d);
  return out + "</section>";
}

std::string topology_section(const json& d, const std::string& source, int n) {
  const json& hosts = list(d, "hosts");
  std::string out = header(d, fmt::format("topology — {}", plural(hosts.size(), "host")), source, n, "topology");
  out += warnings_list(d);
  out += host_drawings(hosts, nullptr, nullptr, fmt::format("doc-{}", n));
  if (const json& r = field(d, "recommendation"); r.is_object()) {
    out += fmt::format("<h3>Recommended layout</h3><p>{} node{} × {} rank{} × {} thread{} per rank:</p><pre>{}</pre><ul>",
                       num(r, "nodes"), num(r, "nodes") == 1 ? "" : "s", num(r, "ranks_per_node"),
                       num(r, "ranks_per_node") == 1 ? "" : "s", num(r, "threads_per_rank"),
                       num(r, "threads_per_rank") == 1 ? "" : "s", esc(str(r, "command")));
    for (const auto& why : list(r, "reasons")) out += "<li>because: " + esc(why.is_string() ? why.get<std::string>() : "") + "</li>";
    for (const auto& note : list(r, "notes")) out += "<li>note: " + esc(note.is_string() ? note.get<std::string>() : "") + "</li>";
    out += "</ul>";
  }
  out += context_block(d);
  return out + "</section>";
}

std::string hello_section(const json& d, const std::string& source, int n) {
  const json& per_rank = list(d, "per_rank");
  std::set<std::string> host_names;
  for (const auto& r : per_rank) host_names.insert(str(r, "host"));
  std::string out = header(d, fmt::format("hello — {}, {}", plural(per_rank.size(), "rank"), plural(host_names.size(), "host")),
                           source, n, "hello");
  out += "<ul class=\"hello\">";
  for (const auto& line : list(d, "hello")) out += "<li>" + esc(line.is_string() ? line.get<std::string>() : "") + "</li>";
  out += "</ul>" + warnings_list(d);
  out += R"(<table class="sortable"><thead><tr><th>rank</th><th>thread</th><th>host</th><th>ISA</th><th>rank PUs</th><th>thread PUs</th><th>ran on</th><th>core</th><th>NUMA</th></tr></thead><tbody>)";
  for (const auto& r : per_rank)
    for (const auto& b : list(r, "bindings"))
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         num(r, "rank"), num(b, "thread"), esc(str(r, "host")), esc(str(r, "isa")), esc(str(r, "pus")),
                         esc(str(b, "pus")), num(b, "running_pu"), num(b, "core"), num(b, "numa"));
  out += "</tbody></table>";
  if (const json& hosts = list(d, "hosts"); !hosts.empty())
    out += host_drawings(hosts, per_rank, nullptr, fmt::format("doc-{}", n));
  else
    out += "<p>(This hello output has no hosts' topologies -- written before hyperslice drew them -- so no drawing.)</p>";
  out += context_block(d);
  return out + "</section>";
}

std::string sweep_section(const json& d, const std::string& source, int n) {
  const json& points = list(d, "points");
  std::string out = header(d, fmt::format("sweep — {}, {}", plural(points.size(), "point"), plural(list(d, "runs").size(), "run")),
                           source, n, "sweep");
  if (const json& nodes = field(d, "nodes"); nodes.is_object() && !nodes.empty()) {
    std::string words;
    for (const auto& [host, cores] : nodes.items()) words += fmt::format("{}{} ({} cores)", words.empty() ? "" : ", ", esc(host), cores.dump());
    out += "<p>Nodes: " + words + ".</p>";
  }
  std::set<double> slice_counts;
  for (const auto& p : points) slice_counts.insert(num(p, "slices"));
  const bool by_slices = slice_counts.size() > 1;  // then one series per slices and threads
  std::map<std::pair<double, int>, Series> time_by_threads, speedup_by_threads;
  double max_p = 1;
  out += R"(<table class="sortable"><thead><tr><th>slices</th><th>ranks</th><th>threads</th><th>processes</th><th>median s</th><th>min s</th><th>terms/s</th><th>speedup</th><th>efficiency</th><th>runs</th><th></th></tr></thead><tbody>)";
  for (const auto& p : points) {
    const int threads = static_cast<int>(num(p, "threads", 1));
    const double procs = num(p, "processes", 1), median = num(p, "median", NAN);
    const bool failed = field(p, "failed").is_boolean() && p["failed"].get<bool>();
    out += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       failed ? "failed" : "", num(p, "slices"), num(p, "ranks"), threads, procs,
                       number_or_dash(field(p, "median"), 1, "{:.4g}"), number_or_dash(field(p, "min"), 1, "{:.4g}"),
                       field(p, "terms_per_second").is_number() ? si(num(p, "terms_per_second")) : "-",
                       number_or_dash(field(p, "speedup"), 1, "{:.2f}"), number_or_dash(field(p, "efficiency"), 100, "{:.0f}%"),
                       list(p, "runs").size(), failed ? badge("FAIL") + " failed" : (field(p, "short").is_boolean() && p["short"].get<bool>() ? "short" : ""));
    if (failed || !std::isfinite(median)) continue;
    max_p = std::max(max_p, procs);
    const std::pair<double, int> key{by_slices ? num(p, "slices") : 0, threads};
    auto& t = time_by_threads[key];
    t.name = fmt::format("{}{} thread{} per rank", by_slices ? fmt::format("{} slices, ", num(p, "slices")) : "", threads,
                         threads == 1 ? "" : "s");
    t.points.emplace_back(procs, median);
    if (field(p, "speedup").is_number()) {
      auto& s = speedup_by_threads[key];
      s.name = t.name;
      s.points.emplace_back(procs, num(p, "speedup"));
    }
  }
  out += "</tbody></table>";
  std::vector<Series> times, speedups;
  for (auto& [k, s] : time_by_threads) {
    std::sort(s.points.begin(), s.points.end());
    times.push_back(s);
  }
  for (auto& [k, s] : speedup_by_threads) {
    std::sort(s.points.begin(), s.points.end());
    speedups.push_back(s);
  }
  std::string plots;
  if (!times.empty())
    plots += figure(line_plot("Time to solution", "processes (ranks × threads)", "median seconds", times, true, true),
                    "The median run time at each point");
  if (!speedups.empty()) {
    speedups.push_back({"ideal", {{1, 1}, {max_p, max_p}}, true});
    plots += figure(line_plot("Speedup", "processes (ranks × threads)", "speedup", speedups, true, true),
                    "Speedup against the one-process point; dashed: ideal");
  }
  if (!plots.empty()) out += R"(<div class="row">)" + plots + "</div>";
  out += context_block(d);
  return out + "</section>";
}

}  // namespace hs::report
