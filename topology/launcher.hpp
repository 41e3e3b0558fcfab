// The two launcher dialects hyperslice's advice is written in: Open MPI's mpirun (ORTE, 4.1) and MPICH's
// mpiexec (Hydra, also what Intel MPI and MVAPICH use). Advice -- the pitfalls' fixes and the recommended
// layout -- is spelled in the dialect of the MPI library the binary runs on (job::launcher_of_this_mpi),
// so it runs as printed.
//   Open MPI 4.1: mpirun -np N --map-by ppr:P:socket:PE=T --bind-to core -x OMP_NUM_THREADS=T --hostfile F
//   Hydra:        mpiexec -n N -ppn P -bind-to core:T -genv OMP_NUM_THREADS T -f F
// (mpirun(1) of Open MPI 4.1; MPICH's "Using the Hydra Process Manager".)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hs::topology {

enum class Launcher { open_mpi, hydra };

std::string_view launcher_program(Launcher l);  // "mpirun" | "mpiexec"
// An environment variable for every rank: {"-x", "NAME=VALUE"} | {"-genv", "NAME", "VALUE"}.
std::vector<std::string> env_args(Launcher l, std::string_view name, std::string_view value);
// Each rank bound to `cores` whole cores (hardware threads with `smt`), ranks filling a node in order.
std::vector<std::string> bind_args(Launcher l, int cores, bool smt);
std::string unbound_flag(Launcher l);  // "--bind-to none" | "-bind-to none"

}  // namespace hs::topology
