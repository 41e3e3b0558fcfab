// Where a rank and its OpenMP threads may run and do run, and the pinning that puts each thread on
// one core of the rank's binding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "launch/slurm.hpp"
#include "topology/machine.hpp"

namespace hs::topology {

struct ThreadPlacement {
  int thread = 0;
  std::vector<int> pus;  // where it may run (OS indexes)
  int running_pu = -1;   // where it last ran
  int core = -1;         // logical core of running_pu
  int numa = -1;
};

struct RankPlacement {
  int rank = 0;
  std::string host;
  std::string arch;  // the architecture this rank's binary runs as (x86_64, aarch64): a job may mix them
  std::string isa;
  bool isa_available = true;  // the CPU (and OS) of this rank can run `isa`
  std::vector<int> pus;  // the process binding mpirun (or the user) gave it
  bool bound = false;    // narrower than what the host allows
  int threads = 1;
  bool omp_num_threads_set = false;
  bool threads_given = false;  // --threads on the command line
  bool pinned = false;
  std::string pin_note;  // why threads were not pinned
  std::vector<ThreadPlacement> thread_list;
  std::optional<launch::SlurmTask> slurm;  // under Slurm only
};

// Pins OpenMP thread t to core (offset + t) mod n of the process binding, with hwloc. `offset` lets
// ranks that share a node and a binding (unbound ranks, or several bound to one socket) take different
// cores. Inactive when disabled (--no-pin) or when OMP_PLACES / OMP_PROC_BIND are set (the OpenMP
// runtime then places threads).
class ThreadPinner {
 public:
  // `binding`: the process's binding as the launcher gave it (job::launch_binding); empty: the calling
  // thread's binding now.
  ThreadPinner(const Machine& machine, bool enable, int offset = 0, const std::vector<int>& binding = {});
  ~ThreadPinner();
  ThreadPinner(const ThreadPinner&) = delete;
  ThreadPinner& operator=(const ThreadPinner&) = delete;

  [[nodiscard]] bool active() const noexcept { return active_; }
  [[nodiscard]] const std::string& note() const noexcept { return note_; }
  [[nodiscard]] hwloc_const_cpuset_t binding() const noexcept { return binding_; }
  [[nodiscard]] const Machine& machine() const noexcept { return machine_; }
  // Binds the calling thread as thread `thread` (cheap when it is already there).
  void pin(int thread) const;

 private:
  const Machine& machine_;
  bool active_ = false;
  std::string note_;
  hwloc_bitmap_t binding_ = nullptr;
  std::vector<hwloc_bitmap_t> targets_;
  int offset_ = 0;
  unsigned generation_ = 0;
};

// This process's binding as the OS reports it now (the whole allowed set when unbound).
std::vector<int> process_binding(const Machine& machine);

// Where the calling thread may run and last ran, as thread `thread` (for observe_rank in job/).
ThreadPlacement observe_this_thread(const Machine& machine, int thread);

}  // namespace hs::topology
