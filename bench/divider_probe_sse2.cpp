// The probes (divider, add/multiply) for sse2, compiled with sse2's flags only.
#define HYPERSLICE_PROBE_BATCH 1
#include <xsimd/xsimd.hpp>

#include "bench/clock.hpp"
#include "bench/divider_probe.hpp"

namespace hs::bench {
double probe_sse2(std::uint64_t iterations) { return probe<xsimd::batch<double, xsimd::sse2>>(iterations); }
double addmul_probe_sse2(std::uint64_t iterations) {
  return addmul_probe<xsimd::batch<double, xsimd::sse2>>(iterations);
}
}  // namespace hs::bench
