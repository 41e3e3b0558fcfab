// The probes (divider, add/multiply) for avx2, compiled with avx2's flags only.
#define HYPERSLICE_PROBE_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/probes.hpp"

namespace hs::kernels {
Timed probe_avx2(std::uint64_t iterations) { return probe<xsimd::batch<double, xsimd::avx2>>(iterations); }
Timed addmul_probe_avx2(std::uint64_t iterations) {
  return addmul_probe<xsimd::batch<double, xsimd::avx2>>(iterations);
}
}  // namespace hs::kernels
