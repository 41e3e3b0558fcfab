// Pitfall rules. Each names the rank or host, the numbers, and the fix in the launcher's dialect.
#include "topology/pitfalls.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "launch/command.hpp"

namespace hs::topology {
namespace {

std::set<int> cores_of(const HostSummary& h, const std::vector<int>& pus) {
  std::set<int> cores;
  for (int pu : pus)
    if (pu >= 0 && static_cast<std::size_t>(pu) < h.core_of_pu.size() &&
        h.core_of_pu[static_cast<std::size_t>(pu)] >= 0)
      cores.insert(h.core_of_pu[static_cast<std::size_t>(pu)]);
  return cores;
}

bool intersect(const std::vector<int>& a, const std::vector<int>& b) {
  for (int x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

}  // namespace

nlohmann::json to_json(const std::vector<Pitfall>& warnings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : warnings) out.push_back({{"kind", w.kind}, {"message", w.message}});
  return out;
}

std::vector<Pitfall> detect_pitfalls(const std::vector<HostSummary>& hosts, const std::vector<RankPlacement>& ranks,
                                     Launcher launcher) {
  const bool hydra = launcher == Launcher::hydra;
  const bool srun = launcher == Launcher::srun;
  std::vector<Pitfall> out;
  std::map<std::string, const HostSummary*> host_of;
  for (const auto& h : hosts) host_of[h.host] = &h;

  std::map<std::string, std::vector<const RankPlacement*>> ranks_on;
  for (const auto& r : ranks) ranks_on[r.host].push_back(&r);
  // The layout that fits: each of the host's ranks bound to its share of the cores, as many threads.
  auto fitting = [&](const HostSummary& h, int ranks_here, int threads) {
    const int share = std::max(1, h.cores / std::max(1, ranks_here));
    return std::min(threads, share);
  };
  auto fix_line = [&](int threads) { return launch::bound_ranks_fix(launcher, threads); };

  // 1. A rank's threads confined to fewer cores than threads. An unbound rank that may use every core of
  // its host is not confined: if its threads are too many for the host, rule 2 says so.
  for (const auto& r : ranks) {
    const auto it = host_of.find(r.host);
    if (it == host_of.end()) continue;
    const HostSummary& h = *it->second;
    const auto cores = cores_of(h, r.pus);
    if (r.threads <= static_cast<int>(cores.size())) continue;
    if (!r.bound && static_cast<int>(cores.size()) >= h.cores) continue;
    const int t = fitting(h, static_cast<int>(ranks_on[r.host].size()), r.threads);
    std::string why;
    if (!r.bound)
      why = "Its CPU set (taskset, a cgroup or the batch system) allows no more.";
    else if (srun)
      why = "srun bound it there.";
    else if (hydra)
      why = "The launcher bound it there.";
    else
      why = cores.size() == 1 ? "Open MPI binds each rank to one core when np <= 2 (to a package above)."
                              : "The launcher bound it there.";
    const std::size_t here = ranks_on[r.host].size();
    const std::string fewer =
        t < r.threads ? fmt::format(" ({} thread{} per rank {} what fit{}: {} cores for {} rank{} here)", t,
                                    t == 1 ? "" : "s", t == 1 ? "is" : "are", t == 1 ? "s" : "", h.cores, here,
                                    here == 1 ? "" : "s")
                      : "";
    // Unbound is the other way out only when the threads fit in the host's cores.
    const std::string fix = srun || !r.bound || t < r.threads
                                ? fix_line(t)
                                : fmt::format("{} (or {})", fix_line(t), unbound_flag(launcher));
    out.push_back({"threads_share_cores",
                   fmt::format("rank {} on {} runs {} threads on {} core{} (PUs {}): they take turns on {}. {} Fix: "
                               "{}{}",
                               r.rank, r.host, r.threads, cores.size(), cores.size() == 1 ? "" : "s",
                               list_string(r.pus), cores.size() == 1 ? "it" : "them", why, fix, fewer)});
  }

  // 2. More threads on a host than it has cores.
  for (const auto& [host, rs] : ranks_on) {
    const auto it = host_of.find(host);
    if (it == host_of.end()) continue;
    int threads = 0;
    for (const auto* r : rs) threads += r->threads;
    if (threads > it->second->cores) {
      const int per = fitting(*it->second, static_cast<int>(rs.size()), threads);
      const std::string fix =
          static_cast<int>(rs.size()) > it->second->cores
              ? fmt::format("at most {} ranks here (see `hyperslice topology --recommend`)", it->second->cores)
              : fmt::format("{}: {} thread{} {} (see `hyperslice topology --recommend`)", fix_line(per), per,
                            per == 1 ? "" : "s",
                            rs.size() == 1 ? std::string("for this rank")
                                           : fmt::format("for each of these {} ranks", rs.size()));
      out.push_back({"host_oversubscribed",
                     fmt::format("host {} runs {} rank{} with {} threads in all on {} cores: oversubscribed, every "
                                 "thread gets a fraction of a core. Fix: {}",
                                 host, rs.size(), rs.size() == 1 ? "" : "s", threads, it->second->cores, fix)});
    }

    // 3. Bound ranks whose bindings overlap.
    for (std::size_t i = 0; i < rs.size(); ++i)
      for (std::size_t j = i + 1; j < rs.size(); ++j)
        if ((rs[i]->bound || rs[j]->bound) && intersect(rs[i]->pus, rs[j]->pus)) {
          out.push_back({"overlapping_bindings",
                         fmt::format("ranks {} and {} on {} are bound to overlapping PUs ({} and {}): they compete for "
                                     "the same cores. Fix: {} with N x M <= {}, or {}",
                                     rs[i]->rank, rs[j]->rank, host, list_string(rs[i]->pus), list_string(rs[j]->pus),
                                     srun    ? "--ntasks-per-node=N --cpus-per-task=M --cpu-bind=cores"
                                     : hydra ? "N ranks per node with -ppn N -bind-to core:M"
                                             : "no --oversubscribe with --bind-to core; use --map-by ppr:N:socket:PE=M",
                                     it->second->cores, unbound_flag(launcher))});
        }

    // 4. Threads stacked on SMT siblings of one core while whole cores have no thread.
    if (it->second->pus > it->second->cores) {
      std::map<int, std::set<int>> pus_used_on_core;  // core -> running PUs of threads homed there
      int homed = 0, total = 0;
      for (const auto* r : rs)
        for (const auto& t : r->thread_list) {
          ++total;
          const auto cs = cores_of(*it->second, t.pus);
          if (cs.size() == 1) {
            ++homed;
            pus_used_on_core[*cs.begin()].insert(t.running_pu >= 0 ? t.running_pu : t.pus.front());
          }
        }
      const bool all_homed = total > 0 && homed == total;
      int stacked_core = -1;
      for (const auto& [core, pus] : pus_used_on_core)
        if (pus.size() > 1 && stacked_core < 0) stacked_core = core;
      const int idle = it->second->cores - static_cast<int>(pus_used_on_core.size());
      if (all_homed && stacked_core >= 0 && idle > 0) {
        out.push_back(
            {"smt_siblings_busy",
             fmt::format("host {}: threads run on SMT siblings of core {} while {} core{} have no thread: "
                         "siblings share one core's divider. Fix: {} {}, or {}",
                         host, stacked_core, idle, idle == 1 ? "" : "s",
                         launch::env_text(launcher, "OMP_PLACES", "cores"),
                         launch::env_text(launcher, "OMP_PROC_BIND", "spread"),
                         srun    ? "srun --hint=nomultithread --cpu-bind=cores"
                         : hydra ? "-bind-to core:M"
                                 : "--map-by ppr:N:socket:PE=M --bind-to core")});
      }
    }
  }

  // 5. OMP_NUM_THREADS unset while a rank is bound to several cores.
  for (const auto& r : ranks) {
    const auto it = host_of.find(r.host);
    if (it == host_of.end() || !r.bound || r.omp_num_threads_set || r.threads_given) continue;
    const auto cores = cores_of(*it->second, r.pus);
    if (cores.size() > 1) {
      out.push_back(
          {"omp_num_threads_unset",
           fmt::format("rank {} on {} is bound to {} cores but OMP_NUM_THREADS is unset: hyperslice starts {} "
                       "threads, other OpenMP code would start one per PU of the node. Fix: {}",
                       r.rank, r.host, cores.size(), r.threads,
                       r.slurm ? std::string("export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK before srun, with --cpus-per-task")
                               : fmt::format("{} {}", launcher_program(launcher),
                                             launch::env_text(launcher, "OMP_NUM_THREADS",
                                                              std::to_string(cores.size()))))});
    }
  }

  // 6. Under Slurm: more threads than the CPUs Slurm gave the task.
  for (const auto& r : ranks) {
    if (!r.slurm || r.slurm->cpus_per_task <= 0 || r.threads <= r.slurm->cpus_per_task) continue;
    out.push_back({"threads_above_cpus_per_task",
                   fmt::format("rank {} on {} runs {} threads ({}) but Slurm gave its task {} CPU{} "
                               "(--cpus-per-task): the extra threads take turns on cores other jobs may own. "
                               "Fix: export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK, or ask for "
                               "--cpus-per-task={}",
                               r.rank, r.host, r.threads, r.threads_given ? "--threads" : "OMP_NUM_THREADS",
                               r.slurm->cpus_per_task, r.slurm->cpus_per_task == 1 ? "" : "s", r.threads)});
  }

  // 7. Under Slurm: more tasks on a node than it has cores (a node described with more CPUs than it has,
  // or OverSubscribe): no thread count can make that right.
  for (const auto& [host, rs] : ranks_on) {
    const auto it = host_of.find(host);
    if (it == host_of.end() || !rs.front()->slurm || static_cast<int>(rs.size()) <= it->second->cores) continue;
    out.push_back({"tasks_above_cores",
                   fmt::format("Slurm placed {} tasks on {} (node {}), which has {} cores: every task gets a "
                               "fraction of a core. Fix: --ntasks-per-node <= {} (check the node's CPUs in "
                               "slurm.conf against `slurmd -C` there)",
                               rs.size(), host, rs.front()->slurm->node, it->second->cores, it->second->cores)});
  }
  return out;
}

}  // namespace hs::topology
