// Launcher dialects. mpi.h is read for its macros only (OPEN_MPI): this layer links no MPI library.
#include "launch/dialect.hpp"

#include <fmt/format.h>

// The C API's header alone: its C++ bindings would need the MPI library linked.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

namespace hs::launch {

std::string_view launcher_program(Launcher l) {
  switch (l) {
    case Launcher::hydra: return "mpiexec";
    case Launcher::srun: return "srun";
    case Launcher::open_mpi: break;
  }
  return "mpirun";
}

std::vector<std::string> env_args(Launcher l, std::string_view name, std::string_view value) {
  if (l == Launcher::hydra) return {"-genv", std::string(name), std::string(value)};
  if (l == Launcher::srun) return {fmt::format("--export=ALL,{}={}", name, value)};
  return {"-x", fmt::format("{}={}", name, value)};
}

std::vector<std::string> bind_args(Launcher l, int cores, bool smt) {
  if (l == Launcher::hydra) return {"-bind-to", fmt::format("{}:{}", smt ? "hwthread" : "core", cores)};
  // (Where nodes have SMT, Slurm counts CPUs per task in hardware threads: the caller adds --hint.)
  if (l == Launcher::srun) return {fmt::format("--cpus-per-task={}", cores), smt ? "--cpu-bind=threads" : "--cpu-bind=cores"};
  // Open MPI binds to whole objects; the PE count comes with the mapping (layout.cpp) or --map-by slot.
  if (smt) return {"--map-by", fmt::format("slot:PE={}", cores), "--use-hwthread-cpus", "--bind-to", "hwthread"};
  return {"--map-by", fmt::format("slot:PE={}", cores), "--bind-to", "core"};
}

std::string unbound_flag(Launcher l) {
  switch (l) {
    case Launcher::hydra: return "-bind-to none";
    case Launcher::srun: return "--cpu-bind=none";
    case Launcher::open_mpi: break;
  }
  return "--bind-to none";
}

Launcher launcher_of_this_mpi() noexcept {
#ifdef OPEN_MPI
  return Launcher::open_mpi;
#else
  return Launcher::hydra;
#endif
}

}  // namespace hs::launch
