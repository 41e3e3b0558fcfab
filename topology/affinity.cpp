// bound_core_count: cores, not PUs, because the kernels gain nothing from SMT siblings.
#include "topology/affinity.hpp"

#include <algorithm>

#include "topology/machine.hpp"
#include "topology/placement.hpp"

namespace hs::topology {

int bound_core_count(const Machine& m, const std::vector<int>& pus) {
  try {
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    for (int pu : pus) hwloc_bitmap_set(set, static_cast<unsigned>(pu));
    const auto cores = m.cores_of(set).size();
    hwloc_bitmap_free(set);
    return static_cast<int>(std::max<std::size_t>(1, cores ? cores : pus.size()));
  } catch (const std::exception&) {
    return 1;
  }
}

}  // namespace hs::topology
