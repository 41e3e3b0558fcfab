// Thread counts, shared-binding offsets over a node communicator, and observing OpenMP threads.
#include "job/pinning.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <string>

#include "launch/slurm.hpp"
#include "topology/affinity.hpp"

namespace hs::job {

std::vector<int> launch_binding(const topology::Machine& machine) {
  const int places = omp_get_num_places();
  if (places > 0 && (std::getenv("OMP_PROC_BIND") || std::getenv("OMP_PLACES"))) {
    std::vector<int> pus;
    for (int p = 0; p < places; ++p) {
      std::vector<int> ids(static_cast<std::size_t>(omp_get_place_num_procs(p)));
      omp_get_place_proc_ids(p, ids.data());
      pus.insert(pus.end(), ids.begin(), ids.end());
    }
    std::sort(pus.begin(), pus.end());
    pus.erase(std::unique(pus.begin(), pus.end()), pus.end());
    if (!pus.empty()) return pus;
  }
  return topology::process_binding(machine);
}

int resolve_threads(int configured, const topology::Machine& machine) {
  if (configured > 0) return configured;
  if (const char* env = std::getenv("OMP_NUM_THREADS"); env && *env) {
    const int n = std::atoi(env);  // OpenMP's own parsing: "4" or "4,2" (first level)
    if (n > 0) return n;
  }
  if (const int n = launch::slurm_cpus_per_task(); n > 0) return n;
  return std::max(1, topology::bound_core_count(machine, launch_binding(machine)));
}

int shared_binding_offset(MPI_Comm comm, const std::vector<int>& binding, int threads) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int node_size = 1, node_rank = 0;
  MPI_Comm_size(node, &node_size);
  MPI_Comm_rank(node, &node_rank);
  struct Entry {
    unsigned long long key;
    int threads;
  };
  const Entry mine{std::hash<std::string>{}(topology::list_string(binding)), threads};
  std::vector<Entry> all(static_cast<std::size_t>(node_size));
  MPI_Allgather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, node);
  MPI_Comm_free(&node);
  int offset = 0;
  for (int i = 0; i < node_rank; ++i)
    if (all[static_cast<std::size_t>(i)].key == mine.key) offset += all[static_cast<std::size_t>(i)].threads;
  return offset;
}

std::unique_ptr<topology::ThreadPinner> make_pinner(MPI_Comm comm, const topology::Machine& machine, bool enable,
                                                    int threads) {
  const std::vector<int> binding = launch_binding(machine);
  const int offset = shared_binding_offset(comm, binding, threads);
  return std::make_unique<topology::ThreadPinner>(machine, enable, offset, binding);
}

topology::RankPlacement observe_rank(const topology::ThreadPinner& pinner, int threads) {
  const topology::Machine& m = pinner.machine();
  topology::RankPlacement r;
  r.pus = topology::list_values(pinner.binding());
  r.bound = !hwloc_bitmap_isequal(pinner.binding(), hwloc_topology_get_allowed_cpuset(m.get()));
  r.threads = threads;
  r.pinned = pinner.active();
  r.pin_note = pinner.note();
  r.thread_list.resize(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    pinner.pin(t);
    r.thread_list[static_cast<std::size_t>(t)] = topology::observe_this_thread(m, t);
  }
  return r;
}

}  // namespace hs::job
