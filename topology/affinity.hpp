// Where this process may run, as hwloc sees it.
#pragma once

namespace hs::topology {

// Cores that intersect this process's CPU binding (all allowed cores when unbound); at least 1.
int bound_core_count();

}  // namespace hs::topology
