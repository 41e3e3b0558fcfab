// Process bindings and thread pinning with hwloc (thread-level cpubind on Linux).
#include "topology/placement.hpp"

#include <atomic>
#include <cstdlib>

namespace hs::topology {
namespace {
std::atomic<unsigned> g_generation{0};
thread_local unsigned t_pinned_generation = 0;
thread_local int t_pinned_thread = -1;
}  // namespace

std::vector<int> process_binding(const Machine& machine) {
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (!machine.is_this_host() || hwloc_get_cpubind(machine.get(), set, HWLOC_CPUBIND_THREAD) != 0)
    hwloc_bitmap_copy(set, hwloc_topology_get_allowed_cpuset(machine.get()));
  std::vector<int> out = list_values(set);
  hwloc_bitmap_free(set);
  return out;
}

ThreadPinner::ThreadPinner(const Machine& machine, bool enable, int offset, const std::vector<int>& binding)
    : machine_(machine), offset_(offset) {
  hwloc_topology_t topo = machine.get();
  binding_ = hwloc_bitmap_alloc();
  if (!binding.empty()) {
    for (int pu : binding) hwloc_bitmap_set(binding_, static_cast<unsigned>(pu));
  } else if (!machine.is_this_host() || hwloc_get_cpubind(topo, binding_, HWLOC_CPUBIND_THREAD) != 0) {
    // else the calling (main) thread's binding is the one mpirun gave the process
    hwloc_bitmap_copy(binding_, hwloc_topology_get_allowed_cpuset(topo));
  }
  generation_ = ++g_generation;
  if (!enable) {
    note_ = "pinning off (--no-pin)";
    return;
  }
  if (std::getenv("OMP_PLACES") || std::getenv("OMP_PROC_BIND")) {
    note_ = "pinning left to the OpenMP runtime (OMP_PLACES/OMP_PROC_BIND set)";
    return;
  }
  if (!machine.is_this_host()) {
    note_ = "not this host's topology";
    return;
  }
  hwloc_obj_t core = nullptr;
  while ((core = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_CORE, core))) {
    if (!hwloc_bitmap_intersects(core->cpuset, binding_)) continue;
    hwloc_bitmap_t t = hwloc_bitmap_alloc();
    hwloc_bitmap_and(t, core->cpuset, binding_);
    targets_.push_back(t);
  }
  active_ = !targets_.empty();
  if (!active_) note_ = "no core in this process's binding";
}

ThreadPinner::~ThreadPinner() {
  for (auto t : targets_) hwloc_bitmap_free(t);
  hwloc_bitmap_free(binding_);
}

void ThreadPinner::pin(int thread) const {
  if (!active_) return;
  if (t_pinned_generation == generation_ && t_pinned_thread == thread) return;
  const auto& target = targets_[static_cast<std::size_t>(offset_ + thread) % targets_.size()];
  if (hwloc_set_cpubind(machine_.get(), target, HWLOC_CPUBIND_THREAD) == 0) {
    t_pinned_generation = generation_;
    t_pinned_thread = thread;
  }
}

ThreadPlacement observe_this_thread(const Machine& m, int thread) {
  ThreadPlacement p;
  p.thread = thread;
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  if (m.is_this_host() && hwloc_get_cpubind(m.get(), set, HWLOC_CPUBIND_THREAD) == 0) p.pus = list_values(set);
  if (m.is_this_host() && hwloc_get_last_cpu_location(m.get(), set, HWLOC_CPUBIND_THREAD) == 0) {
    p.running_pu = hwloc_bitmap_first(set);
    const auto cores = m.cores_of(set);
    p.core = cores.empty() ? -1 : cores.front();
    p.numa = m.numa_of_pu(p.running_pu);
  }
  hwloc_bitmap_free(set);
  return p;
}

}  // namespace hs::topology
