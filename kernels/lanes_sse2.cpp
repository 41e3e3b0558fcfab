// The lane loop for sse2, compiled with sse2's flags only (see kernels/CMakeLists.txt).
#define HYPERSLICE_LANE_LOOP_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/lane_loop.hpp"

namespace hs::kernels::detail {

std::uint64_t chunks_sse2(const ChunkArgs& a, LaneState& st) {
  return run_chunks<xsimd::batch<double, xsimd::sse2>>(a, st);
}

}  // namespace hs::kernels::detail
