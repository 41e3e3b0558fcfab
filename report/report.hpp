// The HTML report: one self-contained page (inline CSS and SVG, no script needed, nothing fetched) drawn
// from what hyperslice writes as JSON -- a check (check --html, or its --json / --save-baseline file),
// bench, topology and hello --json, and a sweep's results.json. `hyperslice report FILE.json... --html
// OUT` and `check --html FILE` both end here (docs/report.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hs::report {

enum class Kind { check, bench, topology, hello, sweep };
std::string_view name(Kind k) noexcept;

struct Document {
  std::string source;  // where it came from, for the page ("base.json", "this check")
  Kind kind = Kind::check;
  nlohmann::json data;
};

// Which of hyperslice's outputs `j` is, by the keys only that one has; UserError naming `source` when
// it is none of them (or an unknown schema version).
Kind kind_of(const nlohmann::json& j, std::string_view source);
// The file at `path` read (bounded) and recognised: UserError for a file that cannot be read, is not
// JSON or is not one of hyperslice's outputs, each naming `what` (the option) and the file.
Document read_document(std::string_view what, const std::string& path);

// The whole page: the verdict first (a check's, when one is given), then each document's section in
// the order given. Throws nothing on well-formed input; a field missing from an older file is drawn
// as absent, not an error.
std::string render_html(const std::vector<Document>& docs);

}  // namespace hs::report
