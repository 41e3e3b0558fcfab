// bound_core_count via hwloc: cores, not PUs, because the kernels gain nothing from SMT siblings.
#include "topology/affinity.hpp"

#include <hwloc.h>

namespace hs::topology {

int bound_core_count() {
  hwloc_topology_t topo;
  if (hwloc_topology_init(&topo) != 0) return 1;
  int cores = 0;
  if (hwloc_topology_load(topo) == 0) {
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (hwloc_get_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) != 0)
      hwloc_bitmap_copy(set, hwloc_topology_get_allowed_cpuset(topo));
    const int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    for (int i = 0; i < n; ++i) {
      hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
      if (hwloc_bitmap_intersects(core->cpuset, set)) ++cores;
    }
    if (cores == 0) cores = hwloc_bitmap_weight(set);
    hwloc_bitmap_free(set);
  }
  hwloc_topology_destroy(topo);
  return cores > 0 ? cores : 1;
}

}  // namespace hs::topology
