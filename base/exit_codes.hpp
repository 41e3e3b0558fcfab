// Every exit status hyperslice gives, once: cli/main.cpp maps errors and outcomes to these, `run
// --help`, the man pages (cli/docgen.cpp) and the README's table describe them from this table.
#pragma once

#include <string_view>

namespace hs {

enum class ExitCode : int {
  done = 0,
  bad_input = 2,      // a hs::UserError: one "hyperslice: error:" line from rank 0, the same exit on every rank
  fault = 3,          // a rank threw, crashed or fell silent: the job is aborted (MPI_Abort with this code)
  verify_failed = 4,  // the check against the exact partial sum found pi more than 1 ulp from it
  check_failed = 5,   // `hyperslice check`: a node (or the cluster) failed; `compare`: a metric regressed
};
inline constexpr int kSignalExitBase = 128;  // stopped by signal N: 128 + N

constexpr int exit_status(ExitCode c) noexcept { return static_cast<int>(c); }

struct ExitCodeNote {
  std::string_view code;
  std::string_view text;
};
inline constexpr ExitCodeNote kExitCodeNotes[] = {
    {"0", "done"},
    {"2", "bad input: one 'hyperslice: error:' line from rank 0, the same exit on every rank"},
    {"3", "a fault: a rank threw, crashed or fell silent (the job is aborted)"},
    {"4", "the check against the exact partial sum (--verify, on by default) found pi more than 1 ulp from it"},
    {"5", "check: a node or the cluster failed (each failing node and its reasons are in the report); compare: a "
          "metric regressed significantly beyond the tolerance"},
    {"128+N", "stopped by signal N (SIGINT and SIGTERM write the checkpoint first)"},
};

}  // namespace hs
