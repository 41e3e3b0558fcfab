// Lists `hyperslice run`'s settings from the engine's table, and the build's version.
#include <cstdio>
#include <string>

#include "base/version.hpp"
#include "engine/settings.hpp"

int main() {
  std::printf("%s\n", hs::version_line().c_str());
  for (const auto& s : hs::engine::run_settings()) std::printf("%s\n", std::string(s.flag).c_str());
  return 0;
}
