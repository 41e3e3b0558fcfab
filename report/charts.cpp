// The report's charts as static SVG: horizontal bars against the median (and a baseline's tick), a
// host x host heatmap (mpiGraph's picture of a network), and line plots for a sweep's scaling. Each
// has a title, its unit and a text alternative (the numbers, in its desc and in a table beside it).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html.hpp"
#include "report/parts.hpp"

namespace hs::report {
namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// At most 4 characters or so, to fit a heatmap's cell: "0.255", "12.5", "5576", "1.2e+05".
std::string short_number(double v) {
  if (std::fabs(v) >= 1e5) return fmt::format("{:.1e}", v);
  if (std::fabs(v) >= 1000) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

}  // namespace

std::string bar_chart(const std::string& title, const std::string& unit, double unit_scale, const std::vector<Bar>& bars) {
  constexpr double label_w = 170, bar_w = 440, value_w = 150, row_h = 18, top = 26, bottom = 30;
  std::vector<double> values;
  double hi = 0;
  for (const auto& b : bars) {
    values.push_back(b.value);
    hi = std::max({hi, b.value, b.reference.value_or(0)});
  }
  if (hi <= 0) hi = 1;
  const double med = median_of(values);
  const double height = top + row_h * static_cast<double>(bars.size()) + bottom;
  std::string desc = fmt::format("{} ({}), median {:.3g}:", title, unit, med / unit_scale);
  for (const auto& b : bars)
    desc += fmt::format(" {} {:.3g}{}{};", b.label, b.value / unit_scale, b.status.empty() ? "" : " " + b.status,
                        b.reference ? fmt::format(" (baseline {:.3g})", *b.reference / unit_scale) : std::string());
  Svg svg(label_w + bar_w + value_w, height, title, desc, "chart bars");
  svg.text(0, 16, fmt::format("{} ({})", title, unit), R"(class="ctitle")");
  const auto x_of = [&](double v) { return label_w + bar_w * v / hi; };
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = top + row_h * static_cast<double>(i);
    const bool fail = b.status == "FAIL";
    svg.text(label_w - 6, y + 13, b.label, fmt::format(R"(text-anchor="end" class="{}")", fail ? "fail-label" : "axis"));
    svg.rect(label_w, y + 2, std::max(1.0, x_of(b.value) - label_w), row_h - 5,
             b.status.empty() ? std::string(kPass) : std::string(status_colour(b.status)),
             fail ? fmt::format(R"(stroke="#000" stroke-width="2" class="bar fail" data-host="{}")", esc(b.label))
                  : fmt::format(R"(class="bar" data-host="{}")", esc(b.label)));
    if (b.reference)
      svg.line(x_of(*b.reference), y, x_of(*b.reference), y + row_h - 1, "#000", R"(stroke-width="3" class="baseline")");
    svg.text(label_w + bar_w + 6, y + 13, fmt::format("{:.3g}{}", b.value / unit_scale, b.status.empty() ? "" : " " + b.status),
             R"(class="axis")");
  }
  const double bottom_y = top + row_h * static_cast<double>(bars.size());
  svg.line(label_w, top - 2, label_w, bottom_y, "#333");
  svg.line(x_of(med), top - 4, x_of(med), bottom_y + 2, "#333", R"(stroke-dasharray="4 3" class="median")");
  svg.text(x_of(med), bottom_y + 14, fmt::format("median {:.3g}", med / unit_scale), R"(text-anchor="middle" class="axis")");
  bool any_reference = std::any_of(bars.begin(), bars.end(), [](const Bar& b) { return b.reference.has_value(); });
  svg.text(label_w, bottom_y + 27, any_reference ? "dashed line: the median; black tick: the baseline's value" : "dashed line: the median",
           R"(class="small")");
  return svg.str();
}

std::string heatmap(const std::string& title, const std::string& unit, double unit_scale, bool higher_is_better,
                    const std::vector<std::string>& labels, const std::vector<std::vector<Cell>>& cells,
                    const std::string& marked_means) {
  const std::size_t n = labels.size();
  const double cell = n <= 8 ? 44 : n <= 16 ? 26 : n <= 32 ? 14 : 9;
  const bool numbers = cell >= 26;
  std::size_t longest = 4;
  for (const auto& l : labels) longest = std::max(longest, l.size());
  const double label_w = std::min<double>(150, 7.0 * static_cast<double>(longest) + 10);
  const double top = 28 + label_w, legend_h = 66;
  const std::string heading = fmt::format("{} ({}) — rows send, columns receive", title, unit);
  const double width = std::max({label_w + cell * static_cast<double>(n) + 24, 7.5 * static_cast<double>(heading.size()), 300.0}),
               height = top + cell * static_cast<double>(n) + legend_h;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& row : cells)
    for (const auto& c : row)
      if (c.value && !c.muted) lo = std::min(lo, *c.value), hi = std::max(hi, *c.value);
  if (!(lo <= hi)) {  // only within-host cells: scale on those
    for (const auto& row : cells)
      for (const auto& c : row)
        if (c.value) lo = std::min(lo, *c.value), hi = std::max(hi, *c.value);
  }
  if (!(lo <= hi)) lo = 0, hi = 1;
  const auto t_of = [&](double v) {
    if (!(hi > lo)) return 1.0;  // one value: the bright end
    const double t = (v - lo) / (hi - lo);
    return higher_is_better ? t : 1 - t;
  };
  // The text alternative: every cell up to 8 hosts; past that the range and the marked cells (the
  // section's table beside it holds every number).
  std::string desc = fmt::format("{} ({}), rows send, columns receive, from {:.3g} to {:.3g}:", title, unit, lo / unit_scale,
                                 hi / unit_scale);
  int marked = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n && j < cells[i].size(); ++j)
      if (const auto& c = cells[i][j]; c.value && (n <= 8 || c.marked)) {
        desc += fmt::format(" {}→{} {:.3g}{};", labels[i], labels[j], *c.value / unit_scale, c.marked ? " (" + marked_means + ")" : "");
        marked += c.marked;
      }
  Svg svg(width, height, title, desc, "chart heatmap");
  svg.text(0, 16, heading, R"(class="ctitle")");
  for (std::size_t j = 0; j < n; ++j) {
    const double x = label_w + cell * (static_cast<double>(j) + 0.5);
    svg.text(x, top - 4, labels[j], fmt::format(R"~(transform="rotate(-60 {:.1f} {:.1f})" class="axis{}")~", x, top - 4, n > 32 ? " tiny" : ""));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double y = top + cell * static_cast<double>(i);
    svg.text(label_w - 4, y + cell * 0.5 + 4, labels[i], fmt::format(R"(text-anchor="end" class="axis{}")", n > 32 ? " tiny" : ""));
    for (std::size_t j = 0; j < n && j < cells[i].size(); ++j) {
      const auto& c = cells[i][j];
      const double x = label_w + cell * static_cast<double>(j);
      const std::string fill = c.value ? scale_colour(t_of(*c.value)) : std::string(kIdle);
      // Only marked and within-host cells carry their hosts: a 64-host map has 4,096 cells.
      const std::string extra = c.marked || c.muted ? fmt::format(R"(class="cell{}{}" data-from="{}" data-to="{}")", c.marked ? " slow" : "",
                                                                  c.muted ? " within" : "", esc(labels[i]), esc(labels[j]))
                                                    : std::string(R"(class="cell")");
      svg.rect(x, y, cell, cell, fill, extra);
      if (c.muted && c.value) svg.line(x + 2, y + cell - 2, x + cell - 2, y + 2, ink_on(fill), R"(stroke-width="1")");
      if (numbers && c.value)
        svg.text(x + cell / 2, y + cell / 2 + 4, short_number(*c.value / unit_scale),
                 fmt::format(R"(text-anchor="middle" class="small" fill="{}")", ink_on(fill)));
    }
  }
  // marked cells last, so their outline is on top
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n && j < cells[i].size(); ++j)
      if (cells[i][j].marked)
        svg.rect(label_w + cell * static_cast<double>(j) + 1.5, top + cell * static_cast<double>(i) + 1.5, cell - 3, cell - 3,
                 "none", fmt::format(R"(stroke="{}" stroke-width="3" class="mark")", kFail));
  // the legend: the colour scale's ends, what a mark and a crossed cell mean
  const double ly = top + cell * static_cast<double>(n) + 12;
  for (int k = 0; k < 20; ++k) svg.rect(label_w + k * 8, ly, 8, 10, scale_colour(k / 19.0));
  svg.text(label_w, ly + 22, fmt::format("{:.3g}", (higher_is_better ? lo : hi) / unit_scale), R"(class="small")");
  svg.text(label_w + 160, ly + 22, fmt::format("{:.3g} {}", (higher_is_better ? hi : lo) / unit_scale, unit),
           R"(text-anchor="end" class="small")");
  svg.text(0, ly + 36, fmt::format("bright: better · outlined: {}{}", marked_means, marked ? fmt::format(" ({})", marked) : ""),
           R"(class="small")");
  svg.text(0, ly + 48, "crossed: within a host, not judged · grey: not measured", R"(class="small")");
  return svg.str();
}

std::string line_plot(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, bool log_x, bool log_y) {
  constexpr double w = 640, h = 300, left = 64, right = 210, top = 28, bottom = 44;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  const auto tx = [&](double v) { return log_x ? std::log10(v) : v; };
  const auto ty = [&](double v) { return log_y ? std::log10(v) : v; };
  for (const auto& s : series)
    for (const auto& [x, y] : s.points) {
      if ((log_x && x <= 0) || (log_y && y <= 0) || !std::isfinite(x) || !std::isfinite(y)) continue;
      x0 = std::min(x0, tx(x)), x1 = std::max(x1, tx(x)), y0 = std::min(y0, ty(y)), y1 = std::max(y1, ty(y));
    }
  if (!(x0 <= x1)) x0 = 0, x1 = 1;
  if (!(y0 <= y1)) y0 = 0, y1 = 1;
  if (!log_y) y0 = std::min(y0, 0.0);
  if (x1 - x0 < 1e-12) x0 -= 0.5, x1 += 0.5;
  if (y1 - y0 < 1e-12) y0 -= 0.5, y1 += 0.5;
  const double pw = w - left - right, ph = h - top - bottom;
  const auto px = [&](double v) { return left + pw * (tx(v) - x0) / (x1 - x0); };
  const auto py = [&](double v) { return top + ph * (1 - (ty(v) - y0) / (y1 - y0)); };
  std::string desc = fmt::format("{}: {} against {}.", title, y_label, x_label);
  for (const auto& s : series) {
    desc += " " + s.name + ":";
    for (const auto& [x, y] : s.points) desc += fmt::format(" ({:.4g}, {:.4g})", x, y);
    desc += ";";
  }
  Svg svg(w, h, title, desc, "chart plot");
  svg.text(0, 16, title, R"(class="ctitle")");
  svg.rect(left, top, pw, ph, "#fff", R"(stroke="#333")");
  // ticks: powers of ten (log) or five even steps (linear), labelled
  const auto ticks = [](double lo, double hi, bool log) {
    std::vector<double> t;
    if (log) {  // powers of ten; with fewer than three in range, 1-2-5 steps
      for (const double m : hi - lo < 2 ? std::vector<double>{1, 2, 5} : std::vector<double>{1})
        for (double e = std::floor(lo); e <= std::ceil(hi); e += 1) {
          const double v = m * std::pow(10.0, e);
          if (std::log10(v) >= lo - 1e-9 && std::log10(v) <= hi + 1e-9 && t.size() < 16) t.push_back(v);
        }
      if (t.size() < 3) t.push_back(std::pow(10.0, lo)), t.push_back(std::pow(10.0, hi));  // and the ends
      std::sort(t.begin(), t.end());
    } else {
      for (int k = 0; k <= 4; ++k) t.push_back(lo + (hi - lo) * k / 4);
    }
    return t;
  };
  for (const double v : ticks(x0, x1, log_x)) {
    svg.line(px(v), top + ph, px(v), top + ph + 4, "#333");
    svg.text(px(v), top + ph + 16, fmt::format("{:.3g}", v), R"(text-anchor="middle" class="axis")");
  }
  for (const double v : ticks(y0, y1, log_y)) {
    svg.line(left - 4, py(v), left, py(v), "#333");
    svg.line(left, py(v), left + pw, py(v), "#e4e4e4");
    svg.text(left - 6, py(v) + 4, fmt::format("{:.3g}", v), R"(text-anchor="end" class="axis")");
  }
  svg.text(left + pw / 2, h - 8, x_label + (log_x ? " (log)" : ""), R"(text-anchor="middle" class="axis")");
  svg.text(14, top + ph / 2, y_label + (log_y ? " (log)" : ""),
           fmt::format(R"~(transform="rotate(-90 14 {:.1f})" text-anchor="middle" class="axis")~", top + ph / 2));
  int k = 0;
  double ly = top + 8;
  for (const auto& s : series) {
    const auto colour = s.dashed ? std::string_view("#777") : series_colour(k++);
    std::string path;
    for (const auto& [x, y] : s.points) {
      if ((log_x && x <= 0) || (log_y && y <= 0)) continue;
      path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", px(x), py(y));
    }
    if (!path.empty())
      svg.raw(fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="2"{}/>)", path, colour,
                          s.dashed ? R"( stroke-dasharray="6 4")" : ""));
    if (!s.dashed)
      for (const auto& [x, y] : s.points)
        if ((!log_x || x > 0) && (!log_y || y > 0))
          svg.raw(fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"/>)", px(x), py(y), colour));
    svg.line(left + pw + 10, ly, left + pw + 30, ly, colour, s.dashed ? R"(stroke-width="2" stroke-dasharray="6 4")" : R"(stroke-width="2")");
    svg.text(left + pw + 34, ly + 4, s.name, R"(class="axis")");
    ly += 18;
  }
  return svg.str();
}

}  // namespace hs::report
