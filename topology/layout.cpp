// recommend(): one rank per memory domain, threads = its cores, SMT off unless asked. Open MPI 4.1
// mapping objects are slot, hwthread, core, L1-3cache, socket, numa, board, node (mpirun(1)); "package"
// is Open MPI 5's spelling and 4.1.4 rejects it.
#include "topology/layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "base/bounded_file.hpp"
#include "base/shell.hpp"
#include "topology/error.hpp"

namespace hs::topology {

std::vector<HostfileEntry> read_hostfile(const std::string& path, std::string_view what) {
  std::istringstream in(
      read_bounded_file<TopologyError>(path, 1u << 20, what, "an Open MPI hostfile or Hydra machinefile"));
  std::vector<HostfileEntry> out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    HostfileEntry e;
    e.host = word;
    std::string rest(std::istreambuf_iterator<char>(words), {});
    if (const auto colon = word.rfind(':');
        colon != std::string::npos && colon + 1 < word.size() &&
        word.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
      e.host = word.substr(0, colon);  // Hydra's machinefile syntax, host:N
      rest = "slots=" + word.substr(colon + 1) + " " + rest;
    }
    std::istringstream attributes(rest);
    while (attributes >> word) {
      const auto eq = word.find('=');
      const std::string key = word.substr(0, eq);
      if (eq == std::string::npos || (key != "slots" && key != "max_slots" && key != "max-slots"))
        throw TopologyError(
            fmt::format("{}: {}:{}: expected 'slots=N' after the host, got '{}'", what, path, lineno, word));
      const std::string value = word.substr(eq + 1);
      int n = 0;
      try {
        std::size_t used = 0;
        n = std::stoi(value, &used);
        if (used != value.size()) n = 0;
      } catch (...) {
        n = 0;
      }
      if (n <= 0)
        throw TopologyError(
            fmt::format("{}: {}:{}: {} must be a positive integer, got '{}'", what, path, lineno, key, value));
      if (key == "slots") e.slots = n;
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const HostfileEntry& x) { return x.host == e.host; });
    if (same != out.end())
      same->slots += e.slots;  // Open MPI adds repeated lines' slots
    else
      out.push_back(e);
  }
  if (out.empty()) throw TopologyError(fmt::format("{}: '{}' names no hosts", what, path));
  return out;
}

namespace {

// A Slurm batch script for the layout: the allocation in #SBATCH lines, OpenMP's settings from it, and the
// srun line. Arguments given to sbatch after the script's name reach hyperslice ("$@"), so one script
// serves every run; TERM 60 s before the time limit lets hyperslice flush its checkpoint (docs/slurm.md).
std::string batch_script(const Layout& l, const HostSummary& h, const LayoutRequest& req) {
  std::string s = "#!/bin/bash\n";
  s += "#SBATCH --job-name=hyperslice\n";
  s += fmt::format("#SBATCH --nodes={}\n", l.nodes);
  s += fmt::format("#SBATCH --ntasks-per-node={}\n", l.ranks_per_node);
  s += fmt::format("#SBATCH --cpus-per-task={}\n", l.threads_per_rank);
  if (h.pus > h.cores) s += fmt::format("#SBATCH --hint={}\n", req.smt ? "multithread" : "nomultithread");
  s += fmt::format("#SBATCH --time={}\n", req.time_limit);
  s += "#SBATCH --signal=TERM@60   # hyperslice flushes its checkpoint and stops; resubmit with --resume\n";
  s += "export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n";
  s += fmt::format("export OMP_PLACES={} OMP_PROC_BIND=close\n", req.smt ? "threads" : "cores");
  s += "# usage: sbatch THIS_FILE --terms 1e12 --checkpoint pi.ckpt   (arguments go to hyperslice run)\n";
  s += l.command + " \"$@\"\n";
  return s;
}

}  // namespace

Layout recommend(const HostSummary& h, const LayoutRequest& req) {
  Layout l;
  const int workers = req.smt ? h.pus : h.cores;  // schedulable units per node
  const char* unit_word = req.smt ? "hardware threads" : "cores";
  l.nodes = req.nodes > 0 ? req.nodes : req.hosts.empty() ? 1 : static_cast<int>(req.hosts.size());

  const bool numa_split = h.numa_nodes > h.packages && h.numa_nodes > 1;
  if (req.ranks_per_node == 0) {
    if (numa_split) {
      l.unit = "numa";
      l.ranks_per_node = h.numa_nodes;
      l.reasons.push_back(
          fmt::format("{} NUMA domains in {} package{}: one rank per NUMA domain keeps each rank's "
                      "threads on their own memory",
                      h.numa_nodes, h.packages, h.packages == 1 ? "" : "s"));
    } else {
      l.unit = "socket";
      l.ranks_per_node = std::max(1, h.packages);
      l.reasons.push_back(fmt::format("{} package{} with {} NUMA domain{}: one rank per package", h.packages,
                                      h.packages == 1 ? "" : "s", std::max(1, h.numa_nodes),
                                      h.numa_nodes == 1 ? "" : "s"));
    }
  } else {
    if (req.ranks_per_node > workers)
      throw TopologyError(
          fmt::format("{} {}: impossible on a host with {} {}", req.ranks_per_node_what, req.ranks_per_node, workers, unit_word));
    l.ranks_per_node = req.ranks_per_node;
    if (numa_split && l.ranks_per_node % h.numa_nodes == 0)
      l.unit = "numa";
    else if (l.ranks_per_node % std::max(1, h.packages) == 0)
      l.unit = "socket";
    else
      l.unit = "node";
    l.reasons.push_back(fmt::format("{} ranks per node as asked, mapped per {}", l.ranks_per_node, l.unit));
  }
  l.threads_per_rank = std::max(1, workers / l.ranks_per_node);
  if (workers % l.ranks_per_node != 0)
    l.notes.push_back(fmt::format("{} {} do not split evenly over {} ranks: {} stay idle", workers, unit_word,
                                  l.ranks_per_node, workers % l.ranks_per_node));
  if (workers % l.ranks_per_node == 0)
    l.reasons.push_back(fmt::format("{} threads per rank = its {}; ranks x threads = {} = the node's {}",
                                    l.threads_per_rank, unit_word, l.ranks_per_node * l.threads_per_rank, unit_word));
  else
    l.reasons.push_back(fmt::format("{} threads per rank ({} {} / {} ranks, rounded down); ranks x threads = {} of "
                                    "the node's {} {}",
                                    l.threads_per_rank, workers, unit_word, l.ranks_per_node,
                                    l.ranks_per_node * l.threads_per_rank, workers, unit_word));
  if (!req.smt && h.pus > h.cores)
    l.reasons.push_back(
        fmt::format("SMT ({} PUs per core) left off: the kernels are divider-bound and siblings share "
                    "one core's divider (--smt to use them)",
                    h.smt()));
  l.reasons.push_back(
      "threads pinned one per core with OMP_PLACES=cores OMP_PROC_BIND=close (hyperslice also pins "
      "by itself when these are unset)");

  const int per_unit = l.unit == "numa"     ? l.ranks_per_node / std::max(1, h.numa_nodes)
                       : l.unit == "socket" ? l.ranks_per_node / std::max(1, h.packages)
                                            : l.ranks_per_node;
  auto& cmd = l.argv;
  const int ranks = l.nodes * l.ranks_per_node;
  const int threads = l.threads_per_rank;
  auto add = [&](std::vector<std::string> words) { cmd.insert(cmd.end(), words.begin(), words.end()); };
  if (req.launcher == Launcher::srun) {
    // The allocation (#SBATCH lines below) says how many tasks go where; srun takes it as it stands.
    // Slurm 22.05's srun does not inherit --cpus-per-task from sbatch (srun(1), SRUN_CPUS_PER_TASK): the
    // line gives it again, or every task would be bound to one core.
    cmd = {"srun", "--mpi=" + req.srun_mpi};
    if (h.pus > h.cores) add({req.smt ? "--hint=multithread" : "--hint=nomultithread"});
    add(bind_args(Launcher::srun, threads, req.smt));
  } else if (req.launcher == Launcher::hydra) {
    // Hydra fills a node's cores in order: -bind-to core:T gives each rank T consecutive cores, which is
    // one rank per NUMA domain or package when T is its core count.
    cmd = {"mpiexec", "-n", std::to_string(ranks)};
    if (!req.hostfile.empty()) add({"-f", req.hostfile});
    add({"-ppn", std::to_string(l.ranks_per_node)});
    add(bind_args(Launcher::hydra, threads, req.smt));
  } else {
    cmd = {"mpirun", "-np", std::to_string(ranks)};
    if (!req.hostfile.empty()) add({"--hostfile", req.hostfile, "--mca", "plm_rsh_no_tree_spawn", "1"});
    add({"--map-by", fmt::format("ppr:{}:{}:PE={}", per_unit, l.unit, threads)});
    if (req.smt)
      add({"--use-hwthread-cpus", "--bind-to", "hwthread"});
    else
      add({"--bind-to", "core"});
  }
  if (req.launcher != Launcher::srun) {  // the batch script exports these for srun
    add(env_args(req.launcher, "OMP_NUM_THREADS", std::to_string(threads)));
    add(env_args(req.launcher, "OMP_PLACES", req.smt ? "threads" : "cores"));
    add(env_args(req.launcher, "OMP_PROC_BIND", "close"));
  }
  cmd.insert(cmd.end(), req.program.begin(), req.program.end());
  l.command = shell_join(cmd);
  if (req.launcher == Launcher::srun) l.batch_script = batch_script(l, h, req);

  for (const auto& e : req.hosts)
    if (e.slots > 0 && e.slots < l.ranks_per_node)
      l.notes.push_back(fmt::format("hostfile gives {} slots={} but the layout puts {} ranks there: set slots={}",
                                    e.host, e.slots, l.ranks_per_node, l.ranks_per_node));
  if (!req.hosts.empty() || l.nodes > 1)
    l.notes.push_back(
        fmt::format("every node is assumed to look like this one; run `{}` to see each node",
                    req.launcher == Launcher::srun    ? "srun --ntasks-per-node=1 hyperslice topology"
                    : req.launcher == Launcher::hydra ? "mpiexec -f ... -ppn 1 hyperslice topology"
                                                      : "mpirun --hostfile ... --map-by node hyperslice topology"));
  if (req.launcher != Launcher::srun && req.hosts.empty() && l.nodes > 1)
    l.notes.push_back(fmt::format("the command needs the {} nodes: add {} with their names", l.nodes,
                                  req.launcher == Launcher::hydra ? "-f MACHINEFILE" : "--hostfile FILE"));
  return l;
}

}  // namespace hs::topology
