// The page around the sections: recognising each document, the verdict banner, the contents, the
// style sheet (screen and print) and one small optional script (sortable tables; the page is whole
// without it).
#include <fmt/format.h>

#include "base/bounded_file.hpp"
#include "base/user_error.hpp"
#include "report/html.hpp"
#include "report/parts.hpp"
#include "report/report.hpp"

namespace hs::report {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxInput = 256u << 20;  // a 1,000-rank check's JSON is a few MB

constexpr std::string_view kStyle = R"(
:root{--fail:#D55E00;--warn:#E69F00;--pass:#0072B2;--ink:#1a1a1a;--muted:#5a5a5a}
body{font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;color:var(--ink);margin:0 auto;max-width:1280px;padding:0 18px 40px}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 2px;border-bottom:2px solid #ccc;padding-bottom:3px}
h3{font-size:15px;margin:18px 0 6px}p.source,.small{color:var(--muted);font-size:12px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td ul{margin:0;padding-left:16px}tr.FAIL td:first-child{border-left:6px solid var(--fail)}
tr.WARN td:first-child{border-left:6px solid var(--warn)}tr.slow td{background:#fbe5d9}tr.differ td{background:#fbe5d9}
.status{display:inline-block;font-weight:bold;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.status.PASS{background:var(--pass)}.status.WARN{background:var(--warn);color:#000}.status.FAIL{background:var(--fail);border:2px solid #000}
.verdict-banner{padding:10px 14px;margin:12px 0;border-left:10px solid var(--pass);background:#eef4fa}
.verdict-banner.FAIL{border-left-color:var(--fail);background:#fbece4}.verdict-banner.WARN{border-left-color:var(--warn);background:#fdf5e4}
.row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}figure{margin:6px 0}figcaption{font-size:12px;color:var(--muted);max-width:760px}
.hosts{display:flex;flex-wrap:wrap;gap:12px}figure.host{border:1px solid #ddd;padding:6px;margin:0}figure.host.FAIL{border:3px solid var(--fail)}
svg{max-width:100%;height:auto}svg text{font-family:"DejaVu Sans",sans-serif;font-size:11px}svg .small{font-size:9px}svg .tiny{font-size:7px}
svg .occ{font-size:10px;font-weight:bold}svg .host{font-size:12px;font-weight:bold}svg .label{font-size:10px}svg .ctitle{font-size:13px;font-weight:bold}
svg .cell{stroke:#fff;stroke-width:.5}svg .core{stroke:#666}svg .core.overlap{stroke:var(--fail);stroke-width:3;stroke-dasharray:5 3}
svg .pu{stroke:#444}svg .pu.disallowed{stroke-dasharray:3 2}svg .group{stroke:#888}
svg .fail-label{fill:var(--fail);font-weight:bold}code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:12px}pre{background:#f6f6f6;padding:6px;overflow-x:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:12px}dt{font-weight:bold}dd{margin:0}
.nowrap{white-space:nowrap}.scroll{max-height:520px;overflow-y:auto;display:inline-block}
nav ul{padding-left:18px;margin:4px 0}th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
@media print{body{max-width:none;font-size:11px}.scroll{max-height:none;overflow:visible}details{display:block}details>summary{display:none}details>*{display:block}
section{break-inside:auto}figure,table{break-inside:avoid}a{color:inherit;text-decoration:none}}
)";

// Optional: a click on a header sorts its table (numbers as numbers). Nothing depends on it.
constexpr std::string_view kScript = R"(
document.querySelectorAll("table.sortable th").forEach(function (th, i) {
  th.style.cursor = "pointer";
  th.addEventListener("click", function () {
    var row = th.parentNode, idx = Array.prototype.indexOf.call(row.children, th);
    var body = th.closest("table").tBodies[0], asc = !th.classList.contains("sorted-asc");
    row.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
    th.classList.add(asc ? "sorted-asc" : "sorted-desc");
    var key = function (tr) { var t = tr.children[idx] ? tr.children[idx].textContent.trim() : "";
                              var v = parseFloat(t); return isNaN(v) ? t : v; };
    Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b), c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
      return asc ? c : -c;
    }).forEach(function (tr) { body.appendChild(tr); });
  });
});
)";

std::string banner(const Document& d, int n) {
  const json& j = d.data;
  const std::string status = j.value("status", "?");
  std::vector<std::string> failed;
  std::string reasons;
  for (const auto& node : j.value("nodes", json::array())) {
    const std::string st = node.value("status", "");
    if (st == "PASS") continue;
    failed.push_back(fmt::format(R"(<a href="#doc-{}-node-{}">{}</a> {})", n, esc(node.value("host", "?")),
                                 esc(node.value("host", "?")), badge(st)));
    for (const auto& f : node.value("findings", json::array()))
      if (f.value("status", "") != "PASS")
        reasons += fmt::format("<li><b>{}</b>: {}: {}</li>", esc(node.value("host", "?")), esc(f.value("stage", "")),
                               esc(f.value("message", "")));
  }
  for (const auto& f : j.value("cluster", json::array()))
    if (f.value("status", "") != "PASS")
      reasons += fmt::format("<li><b>cluster</b>: {}: {}</li>", esc(f.value("stage", "")), esc(f.value("message", "")));
  const auto nodes = j.value("nodes", json::array()).size();
  std::string out = fmt::format(R"(<div class="verdict-banner {}" role="status"><b>{}</b> {} — {} node{}{}.)", esc(status),
                                esc(d.source), badge(status), nodes, nodes == 1 ? "" : "s",
                                failed.empty() ? std::string(", every one passed")
                                               : fmt::format("; not passing: {}", fmt::join(failed, ", ")));
  if (!reasons.empty()) out += "<ul>" + reasons + "</ul>";
  return out + "</div>";
}

}  // namespace

std::string_view name(Kind k) noexcept {
  switch (k) {
    case Kind::check: return "check";
    case Kind::bench: return "bench";
    case Kind::topology: return "topology";
    case Kind::hello: return "hello";
    case Kind::sweep: return "sweep";
  }
  return "?";
}

Kind kind_of(const json& j, std::string_view source) {
  if (!j.is_object())
    throw UserError(fmt::format("{}: not one of hyperslice's JSON outputs (an object was expected)", source));
  if (j.contains("schema_version") && j["schema_version"] != 1)
    throw UserError(fmt::format("{}: schema version {}; this hyperslice draws version 1", source, j["schema_version"].dump()));
  const auto has = [&](std::initializer_list<const char*> keys) {
    return std::all_of(keys.begin(), keys.end(), [&](const char* k) { return j.contains(k); });
  };
  if (has({"points", "runs"})) return Kind::sweep;
  if (has({"status", "nodes", "settings", "per_rank"})) return Kind::check;
  if (has({"hello", "per_rank"})) return Kind::hello;
  if (has({"hosts", "per_rank", "links"})) return Kind::bench;
  if (has({"hosts"}) && !j.contains("per_rank")) return Kind::topology;
  if (has({"changes", "regressions"}))
    throw UserError(fmt::format("{}: a compare's JSON, which the report does not draw: give it the two checks instead", source));
  throw UserError(fmt::format("{}: not one of hyperslice's JSON outputs (check, bench, topology or hello --json, or a "
                              "sweep's results.json)", source));
}

Document read_document(std::string_view what, const std::string& path) {
  const std::string text = read_bounded_file(path, kMaxInput, what, "a JSON file");
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw UserError(fmt::format("{}: '{}' is not JSON", what, path));
  const std::string named = fmt::format("{}: '{}'", what, path);
  const Kind k = kind_of(j, named);
  return {path, k, std::move(j)};
}

std::string render_html(const std::vector<Document>& docs) {
  std::string title = "hyperslice report";
  for (const auto& d : docs)
    if (d.kind == Kind::check) {
      title = fmt::format("hyperslice check {}: {} node{}", d.data.value("status", "?"), d.data.value("nodes", json::array()).size(),
                          d.data.value("nodes", json::array()).size() == 1 ? "" : "s");
      break;
    }
  std::string out = fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hyperslice report"><title>{}</title><style>{}</style></head><body>
<header><h1>{}</h1><p class="small">{} document{} drawn by hyperslice: one file, nothing fetched; readable offline and printed.</p></header>
)", esc(title), kStyle, esc(title), docs.size(), docs.size() == 1 ? "" : "s");
  int n = 0;
  for (const auto& d : docs) {
    ++n;
    if (d.kind == Kind::check) out += banner(d, n);
  }
  if (docs.size() > 1) {
    out += "<nav><b>Contents</b><ul>";
    n = 0;
    for (const auto& d : docs) out += fmt::format(R"(<li><a href="#doc-{}">{}: {}</a></li>)", ++n, name(d.kind), esc(d.source));
    out += "</ul></nav>";
  }
  n = 0;
  for (const auto& d : docs) {
    ++n;
    switch (d.kind) {
      case Kind::check: out += check_section(d.data, d.source, n); break;
      case Kind::bench: out += bench_section(d.data, d.source, n); break;
      case Kind::topology: out += topology_section(d.data, d.source, n); break;
      case Kind::hello: out += hello_section(d.data, d.source, n); break;
      case Kind::sweep: out += sweep_section(d.data, d.source, n); break;
    }
  }
  out += fmt::format("\n<script>{}</script>\n</body></html>\n", kScript);
  return out;
}

}  // namespace hs::report
