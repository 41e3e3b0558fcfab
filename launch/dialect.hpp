// The launcher dialects hyperslice's advice is written in: Open MPI's mpirun (ORTE, 4.1), MPICH's mpiexec
// (Hydra, also what Intel MPI and MVAPICH use) and Slurm's srun. Advice -- the pitfalls' fixes and the
// recommended layout -- is spelled in the dialect of what started the job (launch::launcher_of_this_job, launch/slurm.hpp):
// srun when the ranks are srun's own tasks, else the MPI library's launcher, so it runs as printed.
//   Open MPI 4.1: mpirun -np N --map-by ppr:P:socket:PE=T --bind-to core -x OMP_NUM_THREADS=T --hostfile F
//   Hydra:        mpiexec -n N -ppn P -bind-to core:T -genv OMP_NUM_THREADS T -f F
//   Slurm 22.05:  srun --ntasks-per-node=P --cpus-per-task=T --cpu-bind=cores --export=ALL,OMP_NUM_THREADS=T
// (mpirun(1) of Open MPI 4.1; MPICH's "Using the Hydra Process Manager"; srun(1) of Slurm 22.05.)
//
// The launch layer (launch/) owns this knowledge: dialects, recommended command lines, batch scripts,
// hostfiles, Slurm's environment and the launcher process. It needs neither hwloc nor an MPI library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hs::launch {

enum class Launcher { open_mpi, hydra, srun };

std::string_view launcher_program(Launcher l);  // "mpirun" | "mpiexec" | "srun"
// An environment variable for every rank: {"-x", "NAME=VALUE"} | {"-genv", "NAME", "VALUE"} |
// {"--export=ALL,NAME=VALUE"}.
std::vector<std::string> env_args(Launcher l, std::string_view name, std::string_view value);
// Each rank bound to `cores` whole cores (hardware threads with `smt`), ranks filling a node in order.
std::vector<std::string> bind_args(Launcher l, int cores, bool smt);
std::string unbound_flag(Launcher l);  // "--bind-to none" | "-bind-to none" | "--cpu-bind=none"

// Whose mpirun/mpiexec dialect this binary's MPI library speaks: Open MPI's for Open MPI, Hydra's for
// MPICH and its derivatives (Intel MPI, MVAPICH) -- known from the mpi.h it was built with.
Launcher launcher_of_this_mpi() noexcept;

}  // namespace hs::launch
