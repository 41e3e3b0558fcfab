// The context of a report, in Google Benchmark's spirit: what built the binary, which MPI and hwloc it
// runs on, where, when and how it was called -- so that a number in a results file can be traced to a
// build and a machine. Every --json output carries it as "context", the text reports as one header line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "topology/machine.hpp"

namespace hs::job {

struct Context {
  std::string version;       // hyperslice's version, with `git describe` when built from git
  std::string git_commit;    // empty outside a git checkout
  std::string build_type;    // CMAKE_BUILD_TYPE
  std::string compiler;      // "GCC 12.2.0"
  std::string mpi_library;   // MPI_Get_library_version's first line, up to its first comma
  std::string hwloc_version; // the hwloc the binary was built against
  std::string date;          // ISO 8601, UTC, when the command started
  std::string hostname;      // where rank 0 runs
  std::string cpu_model;     // rank 0's CPU as hwloc reads it
  std::string command_line;  // argv, shell-quoted
};

// Local (no communication): call on the rank that prints. `started` is the start time (time(nullptr)).
Context make_context(const std::vector<std::string>& argv, const topology::Machine& machine, long long started);

nlohmann::json to_json(const Context& c);

// "hyperslice 0.1.0 (v0.1.0-3-g45444de), Release, GCC 12.2.0, Open MPI v4.1.4, hwloc 2.9.0 | vm (AMD EPYC
// 9R14 96-Core Processor) | 2026-11-27T01:50:12Z"
std::string header_line(const Context& c);

// The MPI library's own words, shortened to its name and version ("Open MPI v4.1.4", "MPICH Version: 4.0.2").
std::string mpi_library_version();

}  // namespace hs::job
