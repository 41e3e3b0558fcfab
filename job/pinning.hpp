// Where this rank's threads go, which needs the job around the hwloc layer: how many threads
// (OMP_NUM_THREADS, the binding), which cores ranks sharing a node take (MPI), and where the OpenMP
// threads actually run.
#pragma once

#include <mpi.h>

#include <memory>

#include "topology/machine.hpp"
#include "topology/placement.hpp"

namespace hs::job {

// This process's binding as its launcher gave it. Usually the main thread's binding; but where
// OMP_PROC_BIND or OMP_PLACES is set, libgomp binds the initial thread to the first place at start-up,
// so then it is the union of the OpenMP places, which libgomp built from that binding.
std::vector<int> launch_binding(const topology::Machine& machine);

// Threads a rank uses: `configured` if positive, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK inside a
// Slurm job, else the cores it is bound to.
int resolve_threads(int configured, const topology::Machine& machine);

// Collective: the threads of lower ranks on this node whose binding equals `binding`, i.e. the first
// core this rank's threads should take so that ranks sharing a binding do not stack on core 0.
int shared_binding_offset(MPI_Comm comm, const std::vector<int>& binding, int threads);

// Collective: a pinner for this rank whose threads start after those of lower ranks on the same node
// with the same binding.
std::unique_ptr<topology::ThreadPinner> make_pinner(MPI_Comm comm, const topology::Machine& machine, bool enable,
                                                    int threads);

// Runs a parallel region of `threads` OpenMP threads, pins them (if the pinner is active) and records
// where each runs. Fills pus/bound/threads/pinned/thread_list of the result.
topology::RankPlacement observe_rank(const topology::ThreadPinner& pinner, int threads);

}  // namespace hs::job
