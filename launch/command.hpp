// Whole launcher command lines and Slurm batch scripts for a layout of ranks and threads, in each
// dialect (launch/dialect.hpp): what `topology --recommend` prints, what a pitfall's fix says, what the
// sweep's tuned layout is run with. Plain data in, words out: the layout's numbers come from topology/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "launch/dialect.hpp"

namespace hs::launch {

// A layout as a launcher needs it.
struct LaunchShape {
  Launcher launcher = Launcher::open_mpi;
  int nodes = 1;
  int ranks_per_node = 1;
  int threads_per_rank = 1;
  std::string unit = "node";  // Open MPI's mapping object: socket, numa or node
  int ranks_per_unit = 1;     // ranks in each such object
  bool smt = false;           // count hardware threads, not cores
  bool host_has_smt = false;  // the nodes have more than one hardware thread per core
  std::string hostfile;       // empty: none
  std::string srun_mpi = "pmix";        // srun's --mpi plugin for this MPI library
  std::string time_limit = "01:00:00";  // sbatch --time
  std::vector<std::string> program = {"hyperslice", "run"};
};

// The command, word by word: mpirun/mpiexec with the mapping, binding and OpenMP's settings, or (srun)
// the srun line a batch script runs.
std::vector<std::string> recommended_argv(const LaunchShape& s);

// A Slurm batch script for the layout: the allocation in #SBATCH lines, OpenMP's settings from it, and
// `command` (the srun line). Arguments given to sbatch after the script's name reach hyperslice ("$@"),
// so one script serves every run; TERM 60 s before the time limit lets hyperslice flush its checkpoint.
std::string batch_script(const LaunchShape& s, std::string_view command);

// The script with comment lines after "#!/bin/bash": what made it, the layout, and each reason and note,
// so that `... --slurm > job.sbatch` is the whole script.
std::string annotated_batch_script(const std::string& script, std::string_view made_by, const LaunchShape& s,
                                   const std::vector<std::string>& reasons, const std::vector<std::string>& notes);

// A pitfall's fix: each rank bound to `threads` cores and told as many threads, e.g.
// "mpirun --map-by slot:PE=4 --bind-to core -x OMP_NUM_THREADS=4" (srun: its --cpus-per-task advice).
std::string bound_ranks_fix(Launcher l, int threads);
// "-x NAME=VALUE" | "-genv NAME VALUE" | "--export=ALL,NAME=VALUE", as one string.
std::string env_text(Launcher l, std::string_view name, std::string_view value);

// How to see every node's topology with this launcher ("mpirun --hostfile ... --map-by node hyperslice
// topology"), and how a command names its nodes ("--hostfile FILE").
std::string_view per_node_topology_command(Launcher l);
std::string_view hosts_argument(Launcher l);

}  // namespace hs::launch
