#include "topology/launcher.hpp"

#include <fmt/format.h>

namespace hs::topology {

std::string_view launcher_program(Launcher l) { return l == Launcher::hydra ? "mpiexec" : "mpirun"; }

std::vector<std::string> env_args(Launcher l, std::string_view name, std::string_view value) {
  if (l == Launcher::hydra) return {"-genv", std::string(name), std::string(value)};
  return {"-x", fmt::format("{}={}", name, value)};
}

std::vector<std::string> bind_args(Launcher l, int cores, bool smt) {
  if (l == Launcher::hydra) return {"-bind-to", fmt::format("{}:{}", smt ? "hwthread" : "core", cores)};
  // Open MPI binds to whole objects; the PE count comes with the mapping (layout.cpp) or --map-by slot.
  if (smt) return {"--map-by", fmt::format("slot:PE={}", cores), "--use-hwthread-cpus", "--bind-to", "hwthread"};
  return {"--map-by", fmt::format("slot:PE={}", cores), "--bind-to", "core"};
}

std::string unbound_flag(Launcher l) { return l == Launcher::hydra ? "-bind-to none" : "--bind-to none"; }

}  // namespace hs::topology
