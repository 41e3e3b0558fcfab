#include "base/version.hpp"

#include "hyperslice_git.hpp"  // generated at build time (cmake/HypersliceGitVersion.cmake)

namespace hs {
namespace {

// A binary runs only on the architecture it was built for (natively or under qemu-user), so this is
// also the architecture of the process that reports it.
constexpr const char* kArchitecture =
#if defined(__x86_64__)
    "x86_64";
#elif defined(__aarch64__)
    "aarch64";
#elif defined(__i386__)
    "i686";
#else
    "unknown";
#endif

}  // namespace

const BuildInfo& build_info() {
  static const BuildInfo info{HYPERSLICE_VERSION, HYPERSLICE_GIT_DESCRIBE, HYPERSLICE_GIT_COMMIT,
                              HYPERSLICE_BUILD_TYPE, HYPERSLICE_COMPILER, kArchitecture};
  return info;
}

std::string version_text() {
  const BuildInfo& b = build_info();
  return b.git_describe.empty() ? b.version : b.version + " (" + b.git_describe + ")";
}

std::string version_line() { return "hyperslice " + version_text(); }

}  // namespace hs
