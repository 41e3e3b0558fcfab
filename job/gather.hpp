// The one gather of per-rank facts: every rank observes its placement, rank 0 collects them (host
// summary + placement, in topology/survey.hpp's JSON schema) and checks them for pitfalls.
#pragma once

#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "topology/survey.hpp"

namespace hs::job {

// This rank's host name as MPI reports it.
std::string host_name();

struct SurveyRequest {
  int threads = 1;
  bool threads_given = false;  // --threads on the command line (pitfalls take OMP_NUM_THREADS as unset then)
  std::string isa;             // what the rank's kernels use (for the report)
  bool isa_available = true;
};

// Collective: pins (if the pinner is active) and observes the request's threads on every rank,
// gathers the placements and host topologies to rank 0 and checks them for pitfalls.
topology::Survey survey_ranks(MPI_Comm comm, const topology::ThreadPinner& pinner, const SurveyRequest& request);

// Collective: every rank's `mine`, in rank order, on rank 0 (empty elsewhere).
std::vector<nlohmann::json> gather_json(MPI_Comm comm, const nlohmann::json& mine);

// Collective: rank 0's verdict (empty: none) on every rank -- so that every rank throws the same
// error, and rank 0 alone prints it.
std::string agree(MPI_Comm comm, std::string verdict_on_rank0);

}  // namespace hs::job
