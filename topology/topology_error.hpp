// The topology layer's error type: bad synthetic strings, unreadable XML or hostfiles, impossible layouts.
// main() prints it like every input error: one line from rank 0, exit 2.
#pragma once

#include <string>

#include "base/user_error.hpp"

namespace hs::topology {

class TopologyError : public UserError {
 public:
  explicit TopologyError(const std::string& what) : UserError(what) {}
};

}  // namespace hs::topology
