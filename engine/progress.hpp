// How run shows its progress: a live line redrawn in place where a person watches a terminal, plain
// newline-terminated lines at a slow interval in a log when asked, nothing otherwise. The choice is
// made from observable facts (job/terminal.hpp, TERM) by a pure function, so it is tested as such.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "engine/run.hpp"

namespace hs::engine {

enum class ProgressStyle {
  none,
  live,   // one line redrawn with a carriage return and erased at the end (needs a capable terminal)
  lines,  // one plain line per interval, each ending in a newline (logs, dumb terminals)
};

struct ProgressRequest {
  bool on = false;   // --progress
  bool off = false;  // --no-progress, --quiet
  bool json = false; // --json: off unless --progress
};

inline constexpr double kProgressLinesEvery = 60;  // seconds between lines in a log (--progress-every)
inline constexpr double kProgressLiveAfter = 2;    // the live line appears this far into a run

// `watched`: the job's stderr reaches a terminal; `term`: the TERM variable (a terminal that cannot
// take control codes -- TERM unset, empty or "dumb" -- gets lines, never a carriage return or ESC[K).
ProgressStyle choose_progress_style(const ProgressRequest& request, bool watched, std::string_view term);

// "79/128 slices, 1.23e+10 terms/s, 12 s elapsed, ETA 7 s": the rate and ETA count only the slices
// computed in this run, not those taken from a checkpoint.
std::string progress_text(const Progress& p);

// Prints `style` on `out` (rank 0's stderr): live from kProgressLiveAfter seconds (at once when
// `forced`), lines every `every` seconds. finish() erases the live line (once); lines need nothing.
class ProgressPrinter {
 public:
  ProgressPrinter(ProgressStyle style, bool forced, double every, std::FILE* out);
  ~ProgressPrinter() { finish(); }  // also when the run ends in an exception: its message starts a clean line
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;
  [[nodiscard]] ProgressFn hook();  // empty for ProgressStyle::none
  void finish();

 private:
  struct State {
    ProgressStyle style;
    bool forced;
    double every;
    std::FILE* out;
    bool shown = false;
    double last = 0;
  };
  std::shared_ptr<State> state_;
};

}  // namespace hs::engine
