// Where this process may run, as hwloc sees it.
#pragma once

#include "topology/machine.hpp"

namespace hs::topology {

// Cores of `machine` (this host's) that intersect this process's CPU binding (all allowed cores when
// unbound); at least 1.
int bound_core_count(const Machine& machine);

}  // namespace hs::topology
