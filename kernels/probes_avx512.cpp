// The probes (divider, add/multiply) for avx512, compiled with avx512's flags only.
#define HYPERSLICE_PROBE_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/probes.hpp"

namespace hs::kernels {
Timed probe_avx512(std::uint64_t iterations) { return probe<xsimd::batch<double, xsimd::avx512f>>(iterations); }
Timed addmul_probe_avx512(std::uint64_t iterations) {
  return addmul_probe<xsimd::batch<double, xsimd::avx512f>>(iterations);
}
}  // namespace hs::kernels
