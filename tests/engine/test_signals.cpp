// Signal handling during a run: the first SIGINT/SIGTERM only sets a flag, a second exits at once, a
// crash prints one line naming the rank and host and still dies of its signal.
#include <gtest/gtest.h>

#include <csignal>

#include "engine/signals.hpp"

using namespace hs::engine;

TEST(Signals, FirstStopSignalOnlyAsks) {
  {
    SignalGuard guard("unused");
    EXPECT_EQ(pending_signal(), 0);
    std::raise(SIGINT);
    EXPECT_EQ(pending_signal(), SIGINT);  // and we are still here
    clear_pending_signal();
  }
  EXPECT_EQ(pending_signal(), 0);
}

TEST(SignalsDeathTest, InterruptAfterTheFirstSignalExitsAtOnce) {
  EXPECT_EXIT(
      {
        SignalGuard guard("unused");
        std::raise(SIGTERM);
        std::raise(SIGINT);
        for (;;) pause();
      },
      testing::ExitedWithCode(128 + SIGINT), "hyperslice: second signal: exiting now");
}

TEST(SignalsTest, RepeatedTermIsIgnoredWhileStopping) {
  // Slurm at a time limit: slurmstepd and srun both send SIGTERM; the flush must not be cut short.
  {
    SignalGuard guard("unused");
    std::raise(SIGTERM);
    std::raise(SIGTERM);
    EXPECT_EQ(pending_signal(), SIGTERM);  // still here, still stopping
    clear_pending_signal();
  }
}

TEST(SignalsDeathTest, CrashNamesRankAndHostAndDiesOfItsSignal) {
  EXPECT_EXIT(
      {
        SignalGuard guard("hyperslice: error: rank 3 on node7 crashed on signal ");
        std::raise(SIGSEGV);
      },
      testing::KilledBySignal(SIGSEGV), "hyperslice: error: rank 3 on node7 crashed on signal 11");
}
