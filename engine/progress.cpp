// The progress styles and their text.
#include "engine/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hs::engine {

ProgressStyle choose_progress_style(const ProgressRequest& request, bool watched, std::string_view term) {
  if (request.off) return ProgressStyle::none;
  const bool capable = !term.empty() && term != "dumb";
  if (request.on) return watched && capable ? ProgressStyle::live : ProgressStyle::lines;
  if (request.json || !watched) return ProgressStyle::none;  // a log gets nothing unless asked
  return capable ? ProgressStyle::live : ProgressStyle::lines;
}

std::string progress_text(const Progress& p) {
  const std::uint64_t now_done = p.slices_done - std::min(p.slices_done, p.slices_at_start);
  const std::uint64_t todo = p.slices_total - std::min(p.slices_total, p.slices_at_start);
  const double per_slice =
      p.slices_total ? static_cast<double>(p.terms_total) / static_cast<double>(p.slices_total) : 0;
  const double rate = p.seconds > 0 ? static_cast<double>(now_done) * per_slice / p.seconds : 0;
  const std::string eta = now_done > 0 ? fmt::format("{:.0f} s", p.seconds * static_cast<double>(todo - now_done) /
                                                                     static_cast<double>(now_done))
                                       : std::string("?");
  return fmt::format("{}/{} slices, {:.3g} terms/s, {:.0f} s elapsed, ETA {}", p.slices_done, p.slices_total, rate,
                     p.seconds, eta);
}

ProgressPrinter::ProgressPrinter(ProgressStyle style, bool forced, double every, std::FILE* out)
    : state_(std::make_shared<State>(State{style, forced, every, out})) {}

ProgressFn ProgressPrinter::hook() {
  if (state_->style == ProgressStyle::none) return {};
  return [s = state_](const Progress& p) {
    if (s->style == ProgressStyle::live) {
      if (p.seconds < kProgressLiveAfter && !s->shown && !s->forced) return;
      // \r and erase-to-end-of-line: a shorter line leaves nothing of the longer one before it.
      std::fprintf(s->out, "\rhyperslice: %s\033[K", progress_text(p).c_str());
    } else {
      if (p.seconds < s->last + s->every) return;
      s->last = p.seconds;
      std::fprintf(s->out, "hyperslice: progress: %s\n", progress_text(p).c_str());
    }
    s->shown = true;
    std::fflush(s->out);
  };
}

void ProgressPrinter::finish() {
  if (state_->style == ProgressStyle::live && state_->shown) {
    std::fprintf(state_->out, "\r\033[K");
    std::fflush(state_->out);
    state_->shown = false;
  }
}

}  // namespace hs::engine
