// The engine's errors (their exit codes: base/exit_codes.hpp). InputError: a problem with the user's
// input (a hs::UserError: one line from rank 0, exit 2). JobFailure: a fault during a run. Interrupted:
// a signal stopped the run.
#pragma once

#include <stdexcept>
#include <string>

#include "base/user_error.hpp"

namespace hs::engine {

class InputError : public UserError {
 public:
  explicit InputError(const std::string& what) : UserError(what) {}
};

// A fault during a run (a rank lost, a rank failed): rank 0 reports it, the job is aborted.
class JobFailure : public std::runtime_error {
 public:
  explicit JobFailure(const std::string& what) : std::runtime_error(what) {}
};

// SIGINT/SIGTERM stopped the run; every rank throws it (rank 0 with the message), exit 128 + signal.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, const std::string& what) : std::runtime_error(what), signal_(signal) {}
  [[nodiscard]] int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

}  // namespace hs::engine
