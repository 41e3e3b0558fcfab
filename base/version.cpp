#include "base/version.hpp"

#include "hyperslice_git.hpp"  // generated at build time (cmake/HypersliceGitVersion.cmake)

namespace hs {

const BuildInfo& build_info() {
  static const BuildInfo info{HYPERSLICE_VERSION, HYPERSLICE_GIT_DESCRIBE, HYPERSLICE_GIT_COMMIT,
                              HYPERSLICE_BUILD_TYPE, HYPERSLICE_COMPILER};
  return info;
}

std::string version_line() {
  const BuildInfo& b = build_info();
  std::string line = "hyperslice " + b.version;
  if (!b.git_describe.empty()) line += " (" + b.git_describe + ")";
  return line;
}

}  // namespace hs
