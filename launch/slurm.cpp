// Reading Slurm's task environment. Under srun every task has SLURM_JOB_ID, SLURM_STEP_ID, SLURM_PROCID,
// SLURMD_NODENAME and, when asked for, SLURM_CPUS_PER_TASK; under mpirun inside an allocation Open MPI's
// daemons pass SLURM_JOB_ID and SLURMD_NODENAME but no step (seen on Slurm 22.05, docs/slurm.md).
#include "launch/slurm.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include "launch/launch_error.hpp"

namespace hs::launch {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int env_int(const char* name) {
  const std::string v = env(name);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 6) return 0;
  return std::atoi(v.c_str());
}

std::string parent_name() {
  std::ifstream f("/proc/" + std::to_string(getppid()) + "/comm");
  std::string name;
  std::getline(f, name);
  return name;
}

// A variable of the parent process's environment at its start (empty if unreadable or unset).
std::string parent_env(const std::string& name) {
  std::ifstream f("/proc/" + std::to_string(getppid()) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(f, entry, '\0'))
    if (entry.compare(0, name.size() + 1, name + "=") == 0) return entry.substr(name.size() + 1);
  return {};
}

// Started by srun itself: in a step, and not by an MPI launcher's daemon (Open MPI's orted, Hydra's
// proxy -- Hydra in an allocation starts its proxies with srun, so its ranks see a step too).
bool started_by_srun() {
  if (env("SLURM_STEP_ID").empty()) return false;
  const std::string parent = parent_name();
  return parent != "orted" && parent != "prted" && parent != "hydra_pmi_proxy";
}

}  // namespace

std::optional<SlurmTask> slurm_task() {
  if (env("SLURM_JOB_ID").empty()) return std::nullopt;
  SlurmTask t;
  t.job_id = env("SLURM_JOB_ID");
  t.step_id = env("SLURM_STEP_ID");
  t.node = env("SLURMD_NODENAME");
  // Hydra gives every rank mpiexec's environment, so SLURMD_NODENAME names mpiexec's node; its proxy,
  // which srun started on this node, has this node's.
  if (parent_name() == "hydra_pmi_proxy")
    if (const std::string node = parent_env("SLURMD_NODENAME"); !node.empty()) t.node = node;
  t.cpus_per_task = env_int("SLURM_CPUS_PER_TASK");
  t.srun = started_by_srun();
  return t;
}

int slurm_cpus_per_task() { return env("SLURM_JOB_ID").empty() ? 0 : env_int("SLURM_CPUS_PER_TASK"); }

Launcher launcher_of_this_job() {
  return started_by_srun() ? Launcher::srun : launcher_of_this_mpi();
}

std::string srun_mpi_plugin() { return launcher_of_this_mpi() == Launcher::open_mpi ? "pmix" : "pmi2"; }

std::string parse_time_limit(std::string_view what, const std::string& text) {
  static const std::regex form(R"(\d{1,6}(:\d{1,2}){0,2}|\d{1,4}-\d{1,2}(:\d{1,2}){0,2})");
  if (!std::regex_match(text, form))
    throw LaunchError(fmt::format("{}: expected a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S), got '{}'",
                                  what, text));
  return text;
}

std::string srun_plugin_mismatch(int world_size, std::string_view mpi_library, bool& first) {
  first = env("SLURM_PROCID") == "0";
  if (!started_by_srun()) return {};
  int tasks = env_int("SLURM_STEP_NUM_TASKS");
  if (tasks == 0) tasks = env_int("SLURM_NTASKS");
  const bool open_mpi = launcher_of_this_mpi() == Launcher::open_mpi;
  bool mismatch = false;
  if (world_size == 0)  // Open MPI needs PMIx from srun even for one task; MPICH reads PMI_RANK/PMI_FD
    mismatch = open_mpi ? env("PMIX_RANK").empty() : (tasks > 1 && env("PMI_RANK").empty() && env("PMI_FD").empty());
  else
    mismatch = world_size == 1 && tasks > 1;
  if (!mismatch) return {};
  const std::string mpi = env("SLURM_MPI_TYPE");
  return fmt::format("srun started {} task{} with {}, which {} cannot use{}: run srun --mpi={} "
                     "(or MpiDefault={} in slurm.conf; `srun --mpi=list` shows the plugins)",
                     tasks, tasks == 1 ? "" : "s", mpi.empty() || mpi == "none" ? "no MPI plugin" : "--mpi=" + mpi,
                     mpi_library, world_size == 1 ? " (every task is a 1-rank job)" : "", srun_mpi_plugin(),
                     srun_mpi_plugin());
}

}  // namespace hs::launch
