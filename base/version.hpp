// What built this binary: hyperslice's version (CMake's project version, plus `git describe` when built
// from a git checkout), the build type and the compiler. Every report carries it (job/context.hpp).
#pragma once

#include <string>

namespace hs {

// The version of the JSON outputs' shape (docs/schema/): raised when a field is renamed, removed or
// changes type; adding a field keeps it.
inline constexpr int kJsonSchemaVersion = 1;

struct BuildInfo {
  std::string version;       // "0.1.0"
  std::string git_describe;  // "v0.1.0-3-g45444de-dirty"; empty outside a git checkout
  std::string git_commit;    // full hash; empty outside a git checkout
  std::string build_type;    // CMAKE_BUILD_TYPE
  std::string compiler;      // "GCC 12.2.0"
  std::string architecture;  // what it was built for, as `uname -m` names it: "x86_64", "aarch64"
};

const BuildInfo& build_info();

// "0.1.0 (v0.1.0-3-g45444de)": the version with `git describe` when there is one (reports' context).
std::string version_text();
// "hyperslice 0.1.0 (v0.1.0-3-g45444de)": what --version prints first.
std::string version_line();

}  // namespace hs
