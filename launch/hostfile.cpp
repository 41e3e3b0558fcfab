// The hostfile reader.
#include "launch/hostfile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <sstream>

#include "base/bounded_file.hpp"
#include "launch/launch_error.hpp"

namespace hs::launch {

std::vector<HostfileEntry> read_hostfile(const std::string& path, std::string_view what) {
  std::istringstream in(
      read_bounded_file<LaunchError>(path, 1u << 20, what, "an Open MPI hostfile or Hydra machinefile"));
  std::vector<HostfileEntry> out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    HostfileEntry e;
    e.host = word;
    std::string rest(std::istreambuf_iterator<char>(words), {});
    if (const auto colon = word.rfind(':');
        colon != std::string::npos && colon + 1 < word.size() &&
        word.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
      e.host = word.substr(0, colon);  // Hydra's machinefile syntax, host:N
      rest = "slots=" + word.substr(colon + 1) + " " + rest;
    }
    std::istringstream attributes(rest);
    while (attributes >> word) {
      const auto eq = word.find('=');
      const std::string key = word.substr(0, eq);
      if (eq == std::string::npos || (key != "slots" && key != "max_slots" && key != "max-slots"))
        throw LaunchError(
            fmt::format("{}: {}:{}: expected 'slots=N' after the host, got '{}'", what, path, lineno, word));
      const std::string value = word.substr(eq + 1);
      int n = 0;
      try {
        std::size_t used = 0;
        n = std::stoi(value, &used);
        if (used != value.size()) n = 0;
      } catch (...) {
        n = 0;
      }
      if (n <= 0)
        throw LaunchError(
            fmt::format("{}: {}:{}: {} must be a positive integer, got '{}'", what, path, lineno, key, value));
      if (key == "slots") e.slots = n;
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const HostfileEntry& x) { return x.host == e.host; });
    if (same != out.end())
      same->slots += e.slots;  // Open MPI adds repeated lines' slots
    else
      out.push_back(e);
  }
  if (out.empty()) throw LaunchError(fmt::format("{}: '{}' names no hosts", what, path));
  return out;
}

}  // namespace hs::launch
