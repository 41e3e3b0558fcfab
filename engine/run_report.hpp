// The run's report on rank 0: human text (the seed's two facts first: pi and the time) and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/run.hpp"

namespace hs::engine {

nlohmann::json to_json(const RunResult& r);
std::string to_text(const RunResult& r);
// Where rank `rank` ran (its survey record; an empty one if the survey lacks it).
const topology::RankPlacement& placement_of(const RunResult& r, int rank);
// pi to 17 significant digits: enough to tell every double apart.
std::string format_pi(double pi);

}  // namespace hs::engine
