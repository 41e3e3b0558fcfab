// The topology layer's error type: bad synthetic strings, unreadable XML or hostfiles, impossible layouts.
// main() prints it like every input error: one line from rank 0, exit 2.
#pragma once

#include <stdexcept>
#include <string>

namespace hs::topology {

class TopologyError : public std::runtime_error {
 public:
  explicit TopologyError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace hs::topology
