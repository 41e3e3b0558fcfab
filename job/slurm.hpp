// Slurm as a job's ranks see it: the environment srun and slurmstepd give each task (srun(1), "OUTPUT
// ENVIRONMENT VARIABLES"), and what follows from it -- the rank's Slurm job, step and node, the threads
// default, which launcher dialect advice is spelled in, srun's --mpi plugin for this MPI library, and the
// one mistake that makes every task its own 1-rank job.
#pragma once

#include <optional>
#include <string>

#include "topology/launcher.hpp"
#include "topology/placement.hpp"

namespace hs::job {

// This process's Slurm job and step, or nothing outside Slurm (no SLURM_JOB_ID).
std::optional<topology::SlurmTask> slurm_task();

// SLURM_CPUS_PER_TASK inside a Slurm job, else 0 (the threads default after OMP_NUM_THREADS).
int slurm_cpus_per_task();

// The dialect of whatever started this job: srun when the ranks are srun's own tasks, else the MPI
// library's launcher (launcher_of_this_mpi).
topology::Launcher launcher_of_this_job();

// The --mpi value srun needs for the MPI library this binary runs on: Debian's Open MPI 4.1 speaks PMIx
// only ("pmix"); MPICH 4.0's PMI client speaks Slurm's PMI-2 ("pmi2"). Measured on Slurm 22.05 (docs/slurm.md).
std::string srun_mpi_plugin();

// srun started this task with a --mpi plugin this MPI cannot use: Open MPI then aborts inside MPI_Init
// with a page of banners, MPICH runs every task as a 1-rank job that computes the whole job. Called
// before MPI_Init (world_size 0: judged from the PMI variables srun set) and after it (a 1-rank world in
// a step of several tasks): the message saying so, else empty. `first` is set for srun's task 0, the
// one that should print it.
std::string srun_plugin_mismatch(int world_size, bool& first);

}  // namespace hs::job
