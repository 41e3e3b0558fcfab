// The launch layer's error type: unreadable or malformed hostfiles. main() prints it like every input
// error: one line from rank 0, exit 2 (base/exit_codes.hpp).
#pragma once

#include <string>

#include "base/user_error.hpp"

namespace hs::launch {

class LaunchError : public UserError {
 public:
  explicit LaunchError(const std::string& what) : UserError(what) {}
};

}  // namespace hs::launch
