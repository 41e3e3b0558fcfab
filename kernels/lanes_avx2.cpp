// The lane loop for avx2, compiled with avx2's flags only (see kernels/CMakeLists.txt).
#define HYPERSLICE_LANE_LOOP_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/lane_loop.hpp"

namespace hs::kernels::detail {

std::uint64_t chunks_avx2(const ChunkArgs& a, LaneState& st) {
  return run_chunks<xsimd::batch<double, xsimd::avx2>>(a, st);
}

}  // namespace hs::kernels::detail
