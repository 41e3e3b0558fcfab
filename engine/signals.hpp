// Signals during a run. SIGINT/SIGTERM (mpirun forwards them to every rank): the first asks the run to
// stop -- rank 0 flushes the checkpoint and reports; a SIGINT after it (Ctrl-C twice) exits at once, a
// repeated SIGTERM (Slurm sends more than one) is ignored. Crash signals print
// one line naming the rank and host before the default action (Open MPI then reports the exit).
#pragma once

#include <string>

namespace hs::engine {

class SignalGuard {
 public:
  // `crash_line`: the message a crash prints, prepared now because a handler may not allocate.
  explicit SignalGuard(const std::string& crash_line);
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;
};

// The first SIGINT/SIGTERM received while a SignalGuard lives, or 0.
int pending_signal() noexcept;
// The process that sent it (kill(2)'s caller), or 0 when the kernel sent it or it is unknown.
int pending_signal_sender() noexcept;
// For tests: forget a pending signal.
void clear_pending_signal() noexcept;

}  // namespace hs::engine
