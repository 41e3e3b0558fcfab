// The baseline every speed target is measured against: the obvious OpenMP loop, compiled -O3
// -march=native (see bench/CMakeLists.txt). Usage: obvious_loop N   (threads from OMP_NUM_THREADS)
#include <omp.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const long long n = argc > 1 ? std::atoll(argv[1]) : 10000000000LL;
  const double t0 = omp_get_wtime();
  double s = 0.0;
#pragma omp parallel for reduction(+ : s)
  for (long long k = 0; k < n; ++k) s += (k & 1 ? -1.0 : 1.0) / (2.0 * k + 1.0);
  const double t = omp_get_wtime() - t0;
  std::printf(
      "{\"terms\": %lld, \"threads\": %d, \"pi\": \"%.17g\", \"pi_hex\": \"%a\", \"seconds\": %.6f, "
      "\"terms_per_second\": %.6g}\n",
      n, omp_get_max_threads(), 4 * s, 4 * s, t, static_cast<double>(n) / t);
  return 0;
}
