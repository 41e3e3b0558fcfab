// The report's parts, one file each: the topology drawing (topology_drawing.cpp), the charts
// (charts.cpp) and each document's section (sections.cpp); page.cpp puts them together. Internal to
// report/.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hs::report {

// One host drawn as lstopo draws it -- nested boxes for its packages, NUMA nodes and shared caches
// (those levels that nest), cores with their PUs -- and on each PU the rank and thread that ran there,
// coloured per rank: two threads on one core show as an overlap, a core nobody ran on as idle.
// `placement`: the ranks' placement records (hello's per_rank) of the whole job, or null to place the
// host's own "ranks" by their bindings (topology --json). `alt` receives the text alternative.
std::string draw_host(const nlohmann::json& host, const nlohmann::json& placement, std::string& alt);

struct Bar {
  std::string label, status;  // status: PASS, WARN, FAIL or "" (no verdict)
  double value = 0;
  std::optional<double> reference;  // a baseline's value: a tick on the bar
};
// Horizontal bars with the median of the values as a vertical line; `unit` is shown on the axis, each
// value in `unit_scale` units beside its bar.
std::string bar_chart(const std::string& title, const std::string& unit, double unit_scale, const std::vector<Bar>& bars);

struct Cell {
  std::optional<double> value;  // none: not measured
  bool marked = false;          // outlined (a slow link)
  bool muted = false;           // drawn, not judged (within a host)
};
// A labels x labels heatmap, rows "from", columns "to"; `higher_is_better` orients the colour scale
// (the better end bright). Marked cells get a thick outline; the legend says what it means.
std::string heatmap(const std::string& title, const std::string& unit, double unit_scale, bool higher_is_better,
                    const std::vector<std::string>& labels, const std::vector<std::vector<Cell>>& cells,
                    const std::string& marked_means);

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
  bool dashed = false;                            // a reference line (ideal scaling)
};
// A line plot on log-log (or lin-y) axes with markers, a legend and labelled axes.
std::string line_plot(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, bool log_x, bool log_y);

// Each document's section (its <section> element), numbered `n` for the page's ids.
std::string check_section(const nlohmann::json& d, const std::string& source, int n);
std::string bench_section(const nlohmann::json& d, const std::string& source, int n);
std::string topology_section(const nlohmann::json& d, const std::string& source, int n);
std::string hello_section(const nlohmann::json& d, const std::string& source, int n);
std::string sweep_section(const nlohmann::json& d, const std::string& source, int n);
// The context block of any document: version, commit, MPI, hwloc, compiler, date, command.
std::string context_block(const nlohmann::json& d);
// Every host of `hosts` drawn, with its caption, as one figure each; `status` (host -> PASS/WARN/FAIL,
// or null) marks each figure with its node's verdict.
std::string host_drawings(const nlohmann::json& hosts, const nlohmann::json& placement, const nlohmann::json& status,
                          const std::string& id_prefix);

}  // namespace hs::report
