// recommend(): one rank per memory domain, threads = its cores, SMT off unless asked; the command line
// and batch script are spelled by the launch layer (launch/command.hpp).
#include "topology/layout.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/shell.hpp"
#include "topology/topology_error.hpp"

namespace hs::topology {

Layout recommend(const HostSummary& h, const LayoutRequest& req) {
  Layout l;
  l.hosts = req.hosts;
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
  l.launch = {req.launcher, l.nodes, l.ranks_per_node, l.threads_per_rank, l.unit, per_unit, req.smt,
              h.pus > h.cores, req.hostfile, req.srun_mpi, req.time_limit, req.program};
  l.argv = launch::recommended_argv(l.launch);
  l.command = shell_join(l.argv);
  if (req.launcher == Launcher::srun) l.batch_script = launch::batch_script(l.launch, l.command);

  for (const auto& e : req.hosts)
    if (e.slots > 0 && e.slots < l.ranks_per_node)
      l.notes.push_back(fmt::format("hostfile gives {} slots={} but the layout puts {} ranks there: set slots={}",
                                    e.host, e.slots, l.ranks_per_node, l.ranks_per_node));
  if (!req.hosts.empty() || l.nodes > 1)
    l.notes.push_back(
        fmt::format("every node is assumed to look like this one; run `{}` to see each node",
                    launch::per_node_topology_command(req.launcher)));
  if (req.launcher != Launcher::srun && req.hosts.empty() && l.nodes > 1)
    l.notes.push_back(fmt::format("the command needs the {} nodes: add {} with their names", l.nodes,
                                  launch::hosts_argument(req.launcher)));
  return l;
}

}  // namespace hs::topology
