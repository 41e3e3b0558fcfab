// Where progress goes (a pure choice from observable facts) and what its line says.
#include <gtest/gtest.h>

#include "engine/progress.hpp"

using namespace hs::engine;

TEST(ProgressStyle, LiveOnlyWhereAPersonWatchesACapableTerminal) {
  EXPECT_EQ(choose_progress_style({}, true, "xterm-256color"), ProgressStyle::live);
  EXPECT_EQ(choose_progress_style({}, false, "xterm"), ProgressStyle::none);  // a log: nothing by default
  EXPECT_EQ(choose_progress_style({}, true, "dumb"), ProgressStyle::lines);  // no control codes
  EXPECT_EQ(choose_progress_style({}, true, ""), ProgressStyle::lines);
  EXPECT_EQ(choose_progress_style({.json = true}, true, "xterm"), ProgressStyle::none);
}

TEST(ProgressStyle, FlagsWinAndForcedProgressInALogIsPlainLines) {
  EXPECT_EQ(choose_progress_style({.on = true}, false, "xterm"), ProgressStyle::lines);
  EXPECT_EQ(choose_progress_style({.on = true}, true, "xterm"), ProgressStyle::live);
  EXPECT_EQ(choose_progress_style({.on = true, .json = true}, false, "xterm"), ProgressStyle::lines);
  EXPECT_EQ(choose_progress_style({.on = true}, true, "dumb"), ProgressStyle::lines);
  EXPECT_EQ(choose_progress_style({.off = true}, true, "xterm"), ProgressStyle::none);
}

TEST(ProgressText, RateAndEtaCountOnlyThisRunsSlices) {
  // 128 slices of 1e8 terms; 86 done, 40 of them from the checkpoint: 46 slices in 10 s.
  const Progress p{86, 128, 10.0, 40, 12800000000ull};
  EXPECT_EQ(progress_text(p), "86/128 slices, 4.6e+08 terms/s, 10 s elapsed, ETA 9 s");
  EXPECT_EQ(progress_text(Progress{40, 128, 0.5, 40, 12800000000ull}),
            "40/128 slices, 0 terms/s, 0 s elapsed, ETA ?");
}

TEST(ProgressPrinter, LinesEndInNewlinesAndLiveIsErasedOnce) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  {
    ProgressPrinter lines(ProgressStyle::lines, false, 5.0, out);
    auto hook = lines.hook();
    for (double t : {1.0, 5.5, 6.0, 10.6}) hook(Progress{1, 4, t, 0, 400});
  }
  std::fflush(out);
  EXPECT_EQ(std::string(buf, size),
            "hyperslice: progress: 1/4 slices, 18.2 terms/s, 6 s elapsed, ETA 16 s\n"
            "hyperslice: progress: 1/4 slices, 9.43 terms/s, 11 s elapsed, ETA 32 s\n");
  std::fclose(out);
  free(buf);

  out = open_memstream(&buf, &size);
  {
    ProgressPrinter live(ProgressStyle::live, false, 5.0, out);
    auto hook = live.hook();
    hook(Progress{1, 4, 1.0, 0, 400});  // before 2 s: not yet
    hook(Progress{2, 4, 2.5, 0, 400});
    live.finish();
  }  // the destructor does not erase twice
  std::fflush(out);
  EXPECT_EQ(std::string(buf, size), "\rhyperslice: 2/4 slices, 80 terms/s, 2 s elapsed, ETA 2 s\033[K\r\033[K");
  std::fclose(out);
  free(buf);

  EXPECT_FALSE(ProgressPrinter(ProgressStyle::none, true, 1, stderr).hook());
}
