// Where this process may run, as hwloc sees it.
#pragma once

#include <vector>

#include "topology/machine.hpp"

namespace hs::topology {

// Cores of `machine` (this host's) that intersect the PUs `binding` (a process's binding: all allowed
// PUs when unbound); at least 1.
int bound_core_count(const Machine& machine, const std::vector<int>& binding);

}  // namespace hs::topology
