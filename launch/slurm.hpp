// Slurm as a job's ranks see it: the environment srun and slurmstepd give each task (srun(1), "OUTPUT
// ENVIRONMENT VARIABLES"), and what follows from it -- the rank's Slurm job, step and node, the threads
// default, which launcher dialect advice is spelled in, srun's --mpi plugin for this MPI library, and the
// one mistake that makes every task its own 1-rank job.
#pragma once

#include <optional>
#include <string>

#include <string_view>

#include "launch/dialect.hpp"

namespace hs::launch {

// The Slurm job and step a rank runs in (read from the environment Slurm gives).
struct SlurmTask {
  std::string job_id;     // SLURM_JOB_ID
  std::string step_id;    // SLURM_STEP_ID; empty where mpirun's daemons started the rank
  std::string node;       // SLURMD_NODENAME: Slurm's name of the node
  int cpus_per_task = 0;  // SLURM_CPUS_PER_TASK; 0 when not given
  bool srun = false;      // one of srun's own tasks (not started by mpirun or mpiexec in the allocation)
};


// This process's Slurm job and step, or nothing outside Slurm (no SLURM_JOB_ID).
std::optional<SlurmTask> slurm_task();

// SLURM_CPUS_PER_TASK inside a Slurm job, else 0 (the threads default after OMP_NUM_THREADS).
int slurm_cpus_per_task();

// The dialect of whatever started this job: srun when the ranks are srun's own tasks, else the MPI
// library's launcher (launcher_of_this_mpi).
Launcher launcher_of_this_job();

// The --mpi value srun needs for the MPI library this binary runs on: Debian's Open MPI 4.1 speaks PMIx
// only ("pmix"); MPICH 4.0's PMI client speaks Slurm's PMI-2 ("pmi2"). Measured on Slurm 22.05 (docs/slurm.md).
std::string srun_mpi_plugin();

// An sbatch --time limit in one of sbatch(1)'s forms (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S), as given;
// throws LaunchError naming `what` otherwise.
std::string parse_time_limit(std::string_view what, const std::string& text);

// srun started this task with a --mpi plugin this MPI (`mpi_library`, named in the message) cannot use: Open MPI then aborts inside MPI_Init
// with a page of banners, MPICH runs every task as a 1-rank job that computes the whole job. Called
// before MPI_Init (world_size 0: judged from the PMI variables srun set) and after it (a 1-rank world in
// a step of several tasks): the message saying so, else empty. `first` is set for srun's task 0, the
// one that should print it.
std::string srun_plugin_mismatch(int world_size, std::string_view mpi_library, bool& first);

}  // namespace hs::launch
