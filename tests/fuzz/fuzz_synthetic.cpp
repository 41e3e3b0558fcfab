// Fuzz target: the --synthetic argument, through hwloc, our summary and the layout advice.
#include <cstddef>
#include <cstdint>
#include <string>

#include "topology/topology_error.hpp"
#include "topology/layout.hpp"
#include "topology/machine.hpp"

using namespace hs::topology;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return 0;
  const std::string desc(reinterpret_cast<const char*>(data), size);
  try {
    const HostSummary h = Machine::synthetic(desc).summary("fuzz");
    LayoutRequest req;
    req.ranks_per_node = size % 5;  // 0 = auto
    req.smt = size % 2 == 0;
    const Layout l = recommend(h, req);
    if (l.ranks_per_node < 1 || l.threads_per_rank < 1) __builtin_trap();
  } catch (const TopologyError&) {
  }
  return 0;
}
