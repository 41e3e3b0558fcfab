#include "measure/memory.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>

namespace hs::measure {
namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

std::size_t stream_array_bytes(std::size_t llc_bytes, int cores_sharing_llc) {
  const std::size_t share = llc_bytes / static_cast<std::size_t>(std::max(1, cores_sharing_llc));
  return std::max<std::size_t>(4 * share, std::size_t{8} << 20);
}

MemoryResult stream_like(std::size_t array_bytes, int passes, const std::function<void()>& sync) {
  const std::size_t n = std::max<std::size_t>(array_bytes / sizeof(double), 1);
  // new double[n] leaves the pages untouched; the loop below is their first touch, on this thread.
  const std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
  for (std::size_t i = 0; i < n; ++i) a[i] = 3.0, b[i] = 2.0, c[i] = 0.0;
  // q = -1 keeps every value exact and bounded whatever the compiler contracts: a alternates 3, -1, 3...
  constexpr double q = -1.0;
  double* __restrict pa = a.get();
  const double* __restrict pb = b.get();
  double* __restrict pc = c.get();
  MemoryResult r{n * sizeof(double), std::max(1, passes), 0, 0, false, {}, {}};
  const double bytes = static_cast<double>(n * sizeof(double));
  double best_copy = std::numeric_limits<double>::infinity(), best_triad = best_copy;
  for (int pass = -1; pass < r.passes; ++pass) {  // pass -1: untimed
    sync();
    const double t0 = now();
    for (std::size_t i = 0; i < n; ++i) pc[i] = pa[i];
    const double t1 = now();
    for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i] + q * pc[i];
    const double t2 = now();
    if (pass < 0) continue;
    best_copy = std::min(best_copy, t1 - t0), best_triad = std::min(best_triad, t2 - t1);
    r.copy_passes.push_back(t1 > t0 ? 2 * bytes / (t1 - t0) : 0);
    r.triad_passes.push_back(t2 > t1 ? 3 * bytes / (t2 - t1) : 0);
  }
  // Each pass sets c to the old a and a to 2 - old a: after an even number of passes (the untimed one
  // included) a holds 3 and c -1, after an odd number -1 and 3.
  const bool even = (r.passes + 1) % 2 == 0;
  const double want_a = even ? 3.0 : -1.0, want_c = even ? -1.0 : 3.0;
  r.verified = true;
  for (std::size_t i = 0; i < n; ++i)
    if (pa[i] != want_a || pc[i] != want_c || pb[i] != 2.0) {
      r.verified = false;
      break;
    }
  r.copy = best_copy > 0 ? 2 * bytes / best_copy : 0;
  r.triad = best_triad > 0 ? 3 * bytes / best_triad : 0;
  return r;
}

}  // namespace hs::measure
