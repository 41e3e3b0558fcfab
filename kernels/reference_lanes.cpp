// The reference: each canonical lane summed on its own, each item's value from its global index
// (term_at: the same formula as the hot loop, an independent order of evaluation) -- the oracle every
// ISA is tested against. Compiled without auto-vectorisation.
#include "kernels/lane_loop.hpp"

namespace hs::kernels::detail {

std::uint64_t chunks_reference(const ChunkArgs& a, LaneState& st) {
  constexpr std::uint64_t kChunk = kLanes * kGroup;
  const std::uint64_t chunks = a.items / kChunk;
  if (chunks == 0) return 0;
  const bool comp = a.accumulation == Accumulation::compensated;
  for (int j = 0; j < kLanes; ++j) {
    double s = 0.0;
    double c = 0.0;
    for (std::uint64_t i = 0; i < chunks; ++i) {
      const std::uint64_t item = a.first_item + i * kChunk + static_cast<std::uint64_t>(j);
      double t = term_at(a.kernel, item, j, a.h);
      for (int u = 1; u < kGroup; ++u) t = t + term_at(a.kernel, item + kLanes * u, j, a.h);
      if (i == 0) {
        s = t;
      } else if (comp) {
        const double sum = s + t;
        const double z = sum - s;
        c = c + (t - z);
        s = sum;
      } else {
        s = s + t;
      }
    }
    st.sum[j] = s;
    st.comp[j] = c;
  }
  return chunks * kChunk;
}

}  // namespace hs::kernels::detail
