// The significance test `hyperslice compare` puts on each metric's change: the two-sided Mann-Whitney U
// test, computed as SciPy's scipy.stats.mannwhitneyu(x, y, alternative="two-sided") computes it by
// default (method "auto") -- which is what Google Benchmark's tools/compare.py calls: the exact
// distribution of U when both samples have fewer than 8 values and no value is tied, else the normal
// approximation with the tie correction and a continuity correction of 0.5.
#pragma once

#include <optional>
#include <vector>

namespace hs::measure {

struct UTest {
  double u = 0;       // U of the first sample (the number of pairs in which x beats y; ties count half)
  double p = 1;       // two-sided p-value
  bool exact = false;  // from the exact distribution (else the normal approximation)
};

// The middle value (the mean of the two middle ones for an even count); 0 for none.
double median(std::vector<double> v);

// nullopt when either sample is empty. `allow_exact` false: the normal approximation always (SciPy's
// method="asymptotic").
std::optional<UTest> mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y, bool allow_exact = true);

}  // namespace hs::measure
