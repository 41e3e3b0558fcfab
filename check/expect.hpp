// `check --expect`: the layout a job must have, judged in the placement stage against where its ranks
// really are (the survey) -- the one `topology --recommend` gives each host, or one stated: so many
// nodes, so many ranks on each, each rank bound to so many cores (what `run --threads T` would use).
#pragma once

#include <string>
#include <string_view>

#include "check/check.hpp"
#include "topology/survey.hpp"

namespace hs::check {

struct Expectation {
  bool recommend = false;  // each host: ranks per node and cores per rank as topology::recommend gives them
  int nodes = 0, ranks_per_node = 0, cores_per_rank = 0;  // 0: not stated
  std::string text;  // as given, for the messages ("recommend", "ranks-per-node=2,cores-per-rank=1")
};

// "recommend", or KEY=N items separated by commas (nodes, ranks-per-node, cores-per-rank; recommend may
// come with nodes=N): UserError naming `what` for anything else.
Expectation parse_expectation(std::string_view what, std::string_view text);

// A FAIL finding (stage placement) for the cluster when its number of nodes differs, for each node whose
// number of ranks differs or whose ranks are bound to another number of cores; then the status settled.
void judge_expectation(CheckReport& r, const topology::Survey& survey, const Expectation& e);

}  // namespace hs::check
