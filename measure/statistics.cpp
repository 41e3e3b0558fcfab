#include "measure/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace hs::measure {
namespace {

// P(U >= u) under the null hypothesis for sample sizes n1, n2: the orderings of n1 x's and n2 y's with
// U >= u, over all C(n1 + n2, n1) of them. ways(i, j, k), the orderings of i x's and j y's with U = k,
// follows from the largest value: an x beats all j y's (k - j before it), a y adds nothing.
double exact_sf(int u, int n1, int n2) {
  const int max_u = n1 * n2;
  // ways[j][k] for the current i, rolled over i.
  std::vector<std::vector<double>> prev(static_cast<std::size_t>(n2 + 1), std::vector<double>(max_u + 1, 0.0));
  for (int j = 0; j <= n2; ++j) prev[static_cast<std::size_t>(j)][0] = 1;  // i = 0: one ordering, U = 0
  for (int i = 1; i <= n1; ++i) {
    std::vector<std::vector<double>> cur(static_cast<std::size_t>(n2 + 1), std::vector<double>(max_u + 1, 0.0));
    for (int j = 0; j <= n2; ++j)
      for (int k = 0; k <= max_u; ++k) {
        // The largest value is an x (it beats all j y's) or a y (it adds nothing to U).
        double w = k >= j ? prev[static_cast<std::size_t>(j)][static_cast<std::size_t>(k - j)] : 0;
        if (j > 0) w += cur[static_cast<std::size_t>(j - 1)][static_cast<std::size_t>(k)];
        cur[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)] = w;
      }
    prev = std::move(cur);
  }
  double at_least = 0, all = 0;
  for (int k = 0; k <= max_u; ++k) {
    const double w = prev[static_cast<std::size_t>(n2)][static_cast<std::size_t>(k)];
    all += w;
    if (k >= u) at_least += w;
  }
  return all > 0 ? at_least / all : 1;
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<UTest> mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y, bool allow_exact) {
  if (x.empty() || y.empty()) return std::nullopt;
  const std::size_t n1 = x.size(), n2 = y.size(), n = n1 + n2;
  // Midranks of the pooled values; the tie term sum(t^3 - t) over the groups of equal values.
  std::vector<std::pair<double, bool>> pooled;  // (value, from x)
  for (const double v : x) pooled.push_back({v, true});
  for (const double v : y) pooled.push_back({v, false});
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0, tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i), midrank = static_cast<double>(i + j + 1) / 2;  // 1-based
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second) rank_sum_x += midrank;
    tie_term += t * t * t - t;
    i = j;
  }
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2), dn = static_cast<double>(n);
  UTest r;
  r.u = rank_sum_x - d1 * (d1 + 1) / 2;
  const double u_max = std::max(r.u, d1 * d2 - r.u);  // two-sided: twice the upper tail of the larger U
  if (allow_exact && n1 < 8 && n2 < 8 && tie_term == 0) {
    r.exact = true;
    r.p = 2 * exact_sf(static_cast<int>(std::lround(u_max)), static_cast<int>(n1), static_cast<int>(n2));
  } else {
    const double sigma = std::sqrt(d1 * d2 / 12 * ((dn + 1) - tie_term / (dn * (dn - 1))));
    const double z = sigma > 0 ? (u_max - d1 * d2 / 2 - 0.5) / sigma : 0;
    r.p = 2 * 0.5 * std::erfc(z / std::sqrt(2.0));  // twice the normal upper tail
  }
  r.p = std::clamp(r.p, 0.0, 1.0);
  return r;
}

}  // namespace hs::measure
