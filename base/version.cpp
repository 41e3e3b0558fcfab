#include "base/version.hpp"

#include "hyperslice_git.hpp"  // generated at build time (cmake/HypersliceGitVersion.cmake)

namespace hs {

const BuildInfo& build_info() {
  static const BuildInfo info{HYPERSLICE_VERSION, HYPERSLICE_GIT_DESCRIBE, HYPERSLICE_GIT_COMMIT,
                              HYPERSLICE_BUILD_TYPE, HYPERSLICE_COMPILER};
  return info;
}

std::string version_text() {
  const BuildInfo& b = build_info();
  return b.git_describe.empty() ? b.version : b.version + " (" + b.git_describe + ")";
}

std::string version_line() { return "hyperslice " + version_text(); }

}  // namespace hs
