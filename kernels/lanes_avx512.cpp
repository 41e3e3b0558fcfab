// The lane loop for avx512, compiled with avx512's flags only (see kernels/CMakeLists.txt).
#define HYPERSLICE_LANE_LOOP_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/lane_loop.hpp"

namespace hs::kernels::detail {

std::uint64_t chunks_avx512(const ChunkArgs& a, LaneState& st) {
  return run_chunks<xsimd::batch<double, xsimd::avx512f>>(a, st);
}

}  // namespace hs::kernels::detail
