// The engine's one error type: a problem with the user's input, worded so the user can act on it.
// main() prints it once, from rank 0, as "hyperslice: error: <message>", and exits 2 on every rank.
#pragma once

#include <stdexcept>
#include <string>

namespace hs::engine {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

inline constexpr int kInputErrorExit = 2;

// A fault during a run (a rank lost, a rank failed): rank 0 reports it, the job is aborted.
class JobFailure : public std::runtime_error {
 public:
  explicit JobFailure(const std::string& what) : std::runtime_error(what) {}
};

inline constexpr int kJobFailureExit = 3;

// SIGINT/SIGTERM stopped the run; every rank throws it (rank 0 with the message), exit 128 + signal.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, const std::string& what) : std::runtime_error(what), signal_(signal) {}
  [[nodiscard]] int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

}  // namespace hs::engine
