// The one base class of every error the user can fix (bad options, configs, checkpoints, topology
// arguments). Each layer derives its own type; main() catches this one, prints it once from rank 0 as
// "hyperslice: error: <message>", and exits ExitCode::bad_input (base/exit_codes.hpp) on every rank.
#pragma once

#include <stdexcept>
#include <string>

namespace hs {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace hs
