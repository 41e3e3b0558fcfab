// What every part of the report shares: HTML escaping, numbers as people read them, hwloc list
// strings, the colour-blind-safe palette (Okabe and Ito's eight colours; a sequential scale close to
// viridis for heatmaps) and a small SVG builder. Internal to report/.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hs::report {

// Text and attribute values safe in HTML and inline SVG (& < > " ').
std::string esc(std::string_view s);

// "7.43e9" style numbers for tables: 3 significant digits with an SI prefix ("7.43 G"); "-" for null.
std::string si(double v);
std::string number_or_dash(const nlohmann::json& v, double scale = 1, const char* format = "{:.3g}");

// hwloc list syntax ("0-3,8,10-11") into its numbers; an unparsable piece is skipped.
std::set<int> parse_list(std::string_view list);

// Okabe-Ito's colours, for ranks (cycled) and series; status colours with a second cue (text, outline).
std::string_view series_colour(int i);
inline constexpr std::string_view kPass = "#0072B2", kWarn = "#E69F00", kFail = "#D55E00", kIdle = "#f2f2f2";
std::string_view status_colour(std::string_view status);
// A sequential colour for t in [0, 1] (dark purple to yellow, viridis's anchors); t < 0: no data.
std::string scale_colour(double t);
// Black or white, whichever reads on `fill` (a "#rrggbb").
std::string_view ink_on(std::string_view fill);

// A coordinate as SVG wants it, short: one decimal at most ("154", "12.5").
std::string coord(double v);

// A string with an SVG root element: children appended as text, closed by str(). The title and desc
// are the figure's accessible name and text alternative.
class Svg {
 public:
  Svg(double width, double height, std::string_view title, std::string_view desc, std::string_view css_class = "");
  Svg& rect(double x, double y, double w, double h, std::string_view fill, std::string_view extra = "");
  Svg& text(double x, double y, std::string_view s, std::string_view extra = "");
  Svg& line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra = "");
  Svg& raw(std::string_view s);
  [[nodiscard]] std::string str() const;

 private:
  std::string out_;
};

// A finding's or node's status as a badge: <span class="status FAIL">FAIL</span>.
std::string badge(std::string_view status);

}  // namespace hs::report
