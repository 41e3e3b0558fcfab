// The real compute (every build but the smpi preset's; engine/compute.hpp): a slice's blocks over the
// rank's OpenMP threads, each block by the dispatched kernel into a per-thread exact accumulator.
#include "engine/compute.hpp"

#include <omp.h>

#include <atomic>

namespace hs::engine {

using kernels::ExactAccumulator;

ExactAccumulator compute_slice(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team,
                               const std::function<bool()>& tick, bool& abandoned) {
  ExactAccumulator acc;
  abandoned = false;
  if (r.size() == 0) return acc;
  std::atomic<bool> stop{false};
#pragma omp parallel num_threads(team.threads)
  {
    team.pinner.pin(omp_get_thread_num());  // no-op when already there
    ExactAccumulator local;
#pragma omp for schedule(dynamic, 1) nowait
    for (std::uint64_t b = r.begin; b < r.end; ++b) {
      if (stop.load(std::memory_order_relaxed)) continue;
      kernel.sum_block(b, local);
      if (omp_get_thread_num() == 0 && tick()) stop.store(true, std::memory_order_relaxed);
    }
#pragma omp critical(hyperslice_merge)
    acc.merge(local);
  }
  abandoned = stop.load();
  return acc;
}

bool sums_for_real() noexcept { return true; }

topology::Machine run_machine() { return topology::Machine::this_host(); }

}  // namespace hs::engine
