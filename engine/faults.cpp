// HYPERSLICE_FAULT parsing and the faults themselves.
#include "engine/faults.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace hs::engine {

bool maybe_inject_fault(int rank, std::uint64_t slices_computed, const std::function<bool()>& serve) {
  static const char* spec = std::getenv("HYPERSLICE_FAULT");
  if (!spec) return false;
  const std::string s(spec);
  const auto at = s.find('@');
  if (at == std::string::npos) return false;
  const auto colon = s.find(':', at);
  const std::string who = s.substr(at + 1, colon - at - 1);
  const std::uint64_t after = colon == std::string::npos ? 1 : std::strtoull(s.c_str() + colon + 1, nullptr, 10);
  if ((who != "*" && rank != std::atoi(who.c_str())) || slices_computed != after) return false;
  const std::string kind = s.substr(0, at);
  if (kind == "throw") throw std::runtime_error("injected fault (HYPERSLICE_FAULT=" + s + ")");
  if (kind == "segv") std::raise(SIGSEGV);
  if (kind == "hang")
    for (;;) ::pause();
  if (kind == "pause")
    while (!serve()) ::usleep(1000);
  return kind == "corrupt";
}

}  // namespace hs::engine
