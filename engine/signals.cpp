// Async-signal-safe handlers: they only set a flag, write(2) a prepared line, and _exit or re-raise.
#include "engine/signals.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace hs::engine {
namespace {

volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_sender = 0;  // the pid that sent g_signal (siginfo), 0 if unknown
char g_crash_line[512];
std::size_t g_crash_len = 0;
struct sigaction g_old[32];
constexpr int kStopSignals[] = {SIGINT, SIGTERM};
constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

void write_all(const char* s, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}

void on_stop(int sig, siginfo_t* info, void*) {
  // A repeated SIGTERM is not impatience: at a time limit Slurm's step daemon and srun both send it,
  // within milliseconds, and SIGKILL follows after KillWait anyway. Only a SIGINT (Ctrl-C again) after
  // the first signal cuts the flush short.
  if (g_signal != 0 && sig == SIGTERM) return;
  if (g_signal != 0) {
    static const char msg[] = "hyperslice: second signal: exiting now\n";
    write_all(msg, sizeof msg - 1);
    ::_exit(128 + sig);
  }
  g_sender = info && info->si_code == SI_USER ? static_cast<std::sig_atomic_t>(info->si_pid) : 0;
  g_signal = sig;
}

void on_crash(int sig) {
  write_all(g_crash_line, g_crash_len);
  char digits[4] = {static_cast<char>('0' + sig / 10 % 10), static_cast<char>('0' + sig % 10), '\n', 0};
  write_all(sig >= 10 ? digits : digits + 1, sig >= 10 ? 3 : 2);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

SignalGuard::SignalGuard(const std::string& crash_line) {
  g_signal = 0;
  g_sender = 0;
  g_crash_len = std::min(crash_line.size(), sizeof g_crash_line);
  std::memcpy(g_crash_line, crash_line.data(), g_crash_len);
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_sigaction = on_stop;
  sa.sa_flags = SA_SIGINFO;
  for (int s : kStopSignals) sigaction(s, &sa, &g_old[s]);
  sa.sa_flags = 0;
  sa.sa_handler = on_crash;
  sa.sa_flags = SA_RESETHAND;
  for (int s : kCrashSignals) sigaction(s, &sa, &g_old[s]);
}

SignalGuard::~SignalGuard() {
  for (int s : kStopSignals) sigaction(s, &g_old[s], nullptr);
  for (int s : kCrashSignals) sigaction(s, &g_old[s], nullptr);
}

int pending_signal() noexcept { return g_signal; }
int pending_signal_sender() noexcept { return g_sender; }
void clear_pending_signal() noexcept {
  g_signal = 0;
  g_sender = 0;
}

}  // namespace hs::engine
