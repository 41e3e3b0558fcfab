// Text and JSON for `hyperslice topology` and `hyperslice hello`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "topology/layout.hpp"
#include "topology/survey.hpp"

namespace hs::topology {

std::string topology_text(const Survey& s, const std::optional<Layout>& layout);
nlohmann::json topology_json(const Survey& s, const std::optional<Layout>& layout);
std::string layout_text(const Layout& l);
nlohmann::json layout_json(const Layout& l);
// --recommend --slurm's whole output: the batch script, its first comment lines saying what made it
// (`made_by`: the report's context line) and why this layout, so `... --slurm > job.sbatch` is a script.
std::string batch_script_text(const Layout& l, std::string_view made_by);

// The seed's line per rank, in rank order, then one row per rank and thread (xthi-style).
std::string hello_text(const Survey& s, int ranks);
nlohmann::json hello_json(const Survey& s, int ranks);
std::string hello_line(int rank, int ranks, const std::string& host);

}  // namespace hs::topology
