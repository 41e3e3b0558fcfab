// Command lines and batch scripts. Open MPI 4.1's mapping objects are slot, hwthread, core, L1-3cache,
// socket, numa, board, node (mpirun(1)); "package" is Open MPI 5's spelling and 4.1.4 rejects it.
#include "launch/command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hs::launch {

std::vector<std::string> recommended_argv(const LaunchShape& s) {
  std::vector<std::string> cmd;
  const int ranks = s.nodes * s.ranks_per_node;
  const int threads = s.threads_per_rank;
  auto add = [&](std::vector<std::string> words) { cmd.insert(cmd.end(), words.begin(), words.end()); };
  if (s.launcher == Launcher::srun) {
    // The allocation (#SBATCH lines) says how many tasks go where; srun takes it as it stands. Slurm
    // 22.05's srun does not inherit --cpus-per-task from sbatch (srun(1), SRUN_CPUS_PER_TASK): the line
    // gives it again, or every task would be bound to one core.
    cmd = {"srun", "--mpi=" + s.srun_mpi};
    if (s.host_has_smt) add({s.smt ? "--hint=multithread" : "--hint=nomultithread"});
    add(bind_args(Launcher::srun, threads, s.smt));
  } else if (s.launcher == Launcher::hydra) {
    // Hydra fills a node's cores in order: -bind-to core:T gives each rank T consecutive cores, which is
    // one rank per NUMA domain or package when T is its core count.
    cmd = {"mpiexec", "-n", std::to_string(ranks)};
    if (!s.hostfile.empty()) add({"-f", s.hostfile});
    add({"-ppn", std::to_string(s.ranks_per_node)});
    add(bind_args(Launcher::hydra, threads, s.smt));
  } else {
    cmd = {"mpirun", "-np", std::to_string(ranks)};
    if (!s.hostfile.empty()) add({"--hostfile", s.hostfile, "--mca", "plm_rsh_no_tree_spawn", "1"});
    add({"--map-by", fmt::format("ppr:{}:{}:PE={}", s.ranks_per_unit, s.unit, threads)});
    if (s.smt)
      add({"--use-hwthread-cpus", "--bind-to", "hwthread"});
    else
      add({"--bind-to", "core"});
  }
  if (s.launcher != Launcher::srun) {  // the batch script exports these for srun
    add(env_args(s.launcher, "OMP_NUM_THREADS", std::to_string(threads)));
    add(env_args(s.launcher, "OMP_PLACES", s.smt ? "threads" : "cores"));
    add(env_args(s.launcher, "OMP_PROC_BIND", "close"));
  }
  cmd.insert(cmd.end(), s.program.begin(), s.program.end());
  return cmd;
}

std::string batch_script(const LaunchShape& l, std::string_view command) {
  std::string s = "#!/bin/bash\n";
  s += "#SBATCH --job-name=hyperslice\n";
  s += fmt::format("#SBATCH --nodes={}\n", l.nodes);
  s += fmt::format("#SBATCH --ntasks-per-node={}\n", l.ranks_per_node);
  s += fmt::format("#SBATCH --cpus-per-task={}\n", l.threads_per_rank);
  if (l.host_has_smt) s += fmt::format("#SBATCH --hint={}\n", l.smt ? "multithread" : "nomultithread");
  s += fmt::format("#SBATCH --time={}\n", l.time_limit);
  s += "#SBATCH --signal=TERM@60   # hyperslice flushes its checkpoint and stops; resubmit with --resume\n";
  s += "export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n";
  s += fmt::format("export OMP_PLACES={} OMP_PROC_BIND=close\n", l.smt ? "threads" : "cores");
  s += "# usage: sbatch THIS_FILE --terms 1e12 --checkpoint pi.ckpt   (arguments go to hyperslice run)\n";
  s += fmt::format("{} \"$@\"\n", command);
  return s;
}

std::string annotated_batch_script(const std::string& script, std::string_view made_by, const LaunchShape& l,
                                   const std::vector<std::string>& reasons, const std::vector<std::string>& notes) {
  const auto first = script.find('\n') + 1;  // after "#!/bin/bash"
  std::string lines = fmt::format("# made by {}\n", made_by);
  lines += fmt::format("# layout: {} node{} x {} rank{} x {} thread{} per rank\n", l.nodes, l.nodes == 1 ? "" : "s",
                       l.ranks_per_node, l.ranks_per_node == 1 ? "" : "s", l.threads_per_rank,
                       l.threads_per_rank == 1 ? "" : "s");
  for (const auto& r : reasons) lines += "#   because: " + r + "\n";
  for (const auto& n : notes) lines += "#   note: " + n + "\n";
  return script.substr(0, first) + lines + script.substr(first);
}

std::string env_text(Launcher l, std::string_view name, std::string_view value) {
  return fmt::format("{}", fmt::join(env_args(l, name, value), " "));
}

std::string bound_ranks_fix(Launcher l, int threads) {
  if (l == Launcher::srun)  // the classic: sbatch --cpus-per-task=T, then a bare srun binds each task to one core
    return fmt::format(
        "srun --cpus-per-task={} --cpu-bind=cores (Slurm 22.05's srun does not take --cpus-per-task from "
        "sbatch or salloc: give it to srun, or export SRUN_CPUS_PER_TASK={})",
        threads, threads);
  return fmt::format("{} {} {}", launcher_program(l), fmt::join(bind_args(l, threads, false), " "),
                     env_text(l, "OMP_NUM_THREADS", std::to_string(threads)));
}

std::string_view per_node_topology_command(Launcher l) {
  switch (l) {
    case Launcher::srun: return "srun --ntasks-per-node=1 hyperslice topology";
    case Launcher::hydra: return "mpiexec -f ... -ppn 1 hyperslice topology";
    case Launcher::open_mpi: break;
  }
  return "mpirun --hostfile ... --map-by node hyperslice topology";
}

std::string_view hosts_argument(Launcher l) { return l == Launcher::hydra ? "-f MACHINEFILE" : "--hostfile FILE"; }

}  // namespace hs::launch
