// Layout advice: ranks x threads per node for a topology, and the exact mpirun line (or Slurm batch
// script) that gets it, spelled by the launch layer (launch/command.hpp).
// Pure functions over HostSummary, so big machines are tested through hwloc synthetic topologies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "launch/command.hpp"
#include "launch/hostfile.hpp"
#include "topology/machine.hpp"

namespace hs::topology {

using launch::HostfileEntry;
using launch::Launcher;

struct LayoutRequest {
  int ranks_per_node = 0;  // 0: auto (one rank per NUMA domain, else per package)
  std::string ranks_per_node_what = "ranks per node";  // how errors name it (the CLI: its flag)
  bool smt = false;        // count hardware threads, not cores
  std::string hostfile;    // path, for the command line; entries below
  std::vector<HostfileEntry> hosts;
  int nodes = 0;           // --nodes: how many nodes like this one (0: the hostfile's, else 1)
  // How the user runs hyperslice: the CLI gives its installed name when that is on PATH, else the running
  // binary's absolute path, so that the command runs as printed.
  std::vector<std::string> program = {"hyperslice", "run"};
  Launcher launcher = Launcher::open_mpi;  // the dialect of the command (launch/dialect.hpp)
  // Launcher::srun: a Slurm batch script around an srun line; srun's --mpi plugin for this MPI library
  // ("pmix" for Open MPI, "pmi2" for MPICH) and the job's time limit.
  std::string srun_mpi = "pmix";
  std::string time_limit = "01:00:00";
};

struct Layout {
  int nodes = 1;
  int ranks_per_node = 1;
  int threads_per_rank = 1;
  std::string unit;  // the mapping object: socket, numa or node
  std::vector<std::string> argv;  // the mpirun (or srun) command, word by word
  std::string command;            // the same, shell-quoted
  std::string batch_script;       // Launcher::srun: the sbatch script that runs `command`
  launch::LaunchShape launch;     // what the command and script were made from
  std::vector<std::string> reasons;
  std::vector<std::string> notes;  // hostfile mismatches and the like
  std::vector<HostfileEntry> hosts;  // the hostfile's, as read (empty without one)
};

// Throws TopologyError for an impossible ranks_per_node.
Layout recommend(const HostSummary& host, const LayoutRequest& request);

}  // namespace hs::topology
