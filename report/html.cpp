// Escaping, numbers, lists, colours and the SVG builder (report/html.hpp).
#include "report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace hs::report {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

std::string si(double v) {
  if (!std::isfinite(v)) return "-";
  static constexpr std::array<std::pair<double, const char*>, 5> prefixes{
      {{1e12, " T"}, {1e9, " G"}, {1e6, " M"}, {1e3, " k"}, {1, " "}}};
  const double a = std::fabs(v);
  for (const auto& [scale, prefix] : prefixes)
    if (a >= scale) return fmt::format("{:.3g}{}", v / scale, prefix);
  if (a >= 1e-3) return fmt::format("{:.3g} m", v * 1e3);
  if (a >= 1e-6) return fmt::format("{:.3g} µ", v * 1e6);
  return a == 0 ? std::string("0 ") : fmt::format("{:.3g} ", v);
}

std::string number_or_dash(const nlohmann::json& v, double scale, const char* format) {
  if (!v.is_number()) return "-";
  return fmt::format(fmt::runtime(format), v.get<double>() * scale);
}

std::set<int> parse_list(std::string_view list) {
  std::set<int> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view piece = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    int a = 0, b = 0;
    const auto dash = piece.find('-');
    const auto first = piece.substr(0, dash);
    if (std::from_chars(first.data(), first.data() + first.size(), a).ec != std::errc()) continue;
    b = a;
    if (dash != std::string_view::npos) {
      const auto last = piece.substr(dash + 1);
      if (std::from_chars(last.data(), last.data() + last.size(), b).ec != std::errc()) continue;
    }
    for (int i = a; i <= b && i - a < (1 << 20); ++i) out.insert(i);
  }
  return out;
}

std::string_view series_colour(int i) {
  // Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
  // deficiency; black last, for an eighth series.
  static constexpr std::array<std::string_view, 8> c{"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                     "#56B4E9", "#D55E00", "#F0E442", "#000000"};
  return c[static_cast<std::size_t>(((i % 8) + 8) % 8)];
}

std::string_view status_colour(std::string_view status) {
  return status == "FAIL" ? kFail : status == "WARN" ? kWarn : kPass;
}

std::string scale_colour(double t) {
  if (!(t >= 0)) return std::string(kIdle);
  // viridis at 0, 0.25, 0.5, 0.75, 1 (matplotlib's values), linearly between them
  static constexpr std::array<std::array<int, 3>, 5> a{{{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
  t = std::min(t, 1.0) * 4;
  const auto i = std::min<std::size_t>(3, static_cast<std::size_t>(t));
  const double f = t - static_cast<double>(i);
  std::array<int, 3> c{};
  for (std::size_t k = 0; k < 3; ++k) c[k] = static_cast<int>(std::lround(a[i][k] + f * (a[i + 1][k] - a[i][k])));
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

std::string_view ink_on(std::string_view fill) {
  if (fill.size() != 7 || fill[0] != '#') return "#000";
  int rgb[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) std::from_chars(fill.data() + 1 + 2 * k, fill.data() + 3 + 2 * k, rgb[k], 16);
  const double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  return luma > 140 ? "#000" : "#fff";
}

Svg::Svg(double width, double height, std::string_view title, std::string_view desc, std::string_view css_class) {
  out_ = fmt::format(R"(<svg viewBox="0 0 {0:.0f} {1:.0f}" width="{0:.0f}" )"
                     R"(height="{1:.0f}" role="img"{2}><title>{3}</title><desc>{4}</desc>)",
                     width, height, css_class.empty() ? "" : fmt::format(R"( class="{}")", css_class), esc(title), esc(desc));
}

std::string coord(double v) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);  // "154", not "154.0": a 64-host page has 10^4 of them
  return s == "-0" ? "0" : s;
}

Svg& Svg::rect(double x, double y, double w, double h, std::string_view fill, std::string_view extra) {
  out_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}{}/>)", coord(x), coord(y), coord(w), coord(h),
                      fill, extra.empty() ? "" : " ", extra);
  return *this;
}

Svg& Svg::text(double x, double y, std::string_view s, std::string_view extra) {
  out_ += fmt::format(R"(<text x="{}" y="{}"{}{}>{}</text>)", coord(x), coord(y), extra.empty() ? "" : " ", extra, esc(s));
  return *this;
}

Svg& Svg::line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra) {
  out_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"{}{}/>)", coord(x1), coord(y1), coord(x2), coord(y2),
                      stroke, extra.empty() ? "" : " ", extra);
  return *this;
}

Svg& Svg::raw(std::string_view s) {
  out_ += s;
  return *this;
}

std::string Svg::str() const { return out_ + "</svg>"; }

std::string badge(std::string_view status) {
  return fmt::format(R"(<span class="status {0}">{0}</span>)", esc(status));
}

}  // namespace hs::report
