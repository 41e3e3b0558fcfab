// run_pi: one run, every rank. The order: agree on the input (ISA, checkpoint), survey placements
// (pitfalls printed before any work), then rank 0 coordinates (engine/coordinator.hpp) while the
// others work (engine/worker.hpp), every rank leaves through one broadcast, and rank 0 rounds the
// exact sum once and gathers each rank's tally.
#include "engine/run.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include "engine/checkpoint.hpp"
#include "engine/coordinator.hpp"
#include "engine/run_errors.hpp"
#include "engine/hierarchy.hpp"
#include "engine/leader.hpp"
#include "engine/signals.hpp"
#include "engine/slice_set.hpp"
#include "engine/worker.hpp"
#include "kernels/exact_reference.hpp"
#include "job/pinning.hpp"
#include "job/gather.hpp"

namespace hs::engine {
namespace {

// Rank 0 checks what is at the checkpoint path, takes its lock and reads it when resuming; every rank
// gets the same verdict and the slices still to do, as ranges (never a list per slice).
Checkpoint prepare_state(const RunConfig& config, int rank, MPI_Comm comm, std::vector<SliceRange>& remaining,
                         std::unique_ptr<CheckpointLock>& lock) {
  Checkpoint state = Checkpoint::empty_for(config);
  std::string error;
  if (rank == 0 && !config.checkpoint.empty()) {
    try {
      state = open_checkpoint(config);
      lock = std::make_unique<CheckpointLock>(config.checkpoint);
    } catch (const UserError& e) {
      error = e.what();
    }
  }
  if (const std::string verdict = job::agree(comm, error); !verdict.empty()) throw InputError(verdict);
  std::vector<std::uint64_t> flat;
  if (rank == 0)
    for (const SliceRange& r : state.done.ranges()) flat.insert(flat.end(), {r.begin, r.end});
  auto n = static_cast<std::uint64_t>(flat.size());
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, comm);
  flat.resize(n);
  MPI_Bcast(flat.data(), static_cast<int>(n), MPI_UINT64_T, 0, comm);
  SliceSet done;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) done.insert(SliceRange{flat[i], flat[i + 1]});
  remaining = done.complement(config.slices);
  return state;
}

// "--isa X: not supported by the CPU (or OS) of rank R on HOST" for the first such rank, or "".
std::string missing_isa(const topology::Survey& survey) {
  for (const auto& r : survey.ranks)
    if (!r.isa_available)
      return fmt::format("--isa {}: not supported by the CPU (or OS) of rank {} on {}", r.isa, r.rank, r.host);
  return {};
}

}  // namespace

RunResult run_pi(const RunConfig& config, MPI_Comm comm, const RunHooks& hooks) {
  const topology::Machine machine = topology::Machine::this_host();
  return run_pi(config, comm, machine, hooks);
}

RunResult run_pi(const RunConfig& config, MPI_Comm comm, const topology::Machine& machine, const RunHooks& hooks) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);

  // Where every rank and thread runs, and which ISA it would use: one gather, before any work.
  const kernels::Isa isa = config.isa.value_or(kernels::best_isa());
  const int threads = job::resolve_threads(config.threads, machine);
  const auto pinner = job::make_pinner(comm, machine, config.pin, threads);
  job::SurveyRequest request{threads, config.threads > 0, std::string(kernels::name(isa)),
                             kernels::isa_supported(isa)};
  topology::Survey survey = job::survey_ranks(comm, *pinner, request);
  if (const std::string verdict = job::agree(comm, rank == 0 ? missing_isa(survey) : ""); !verdict.empty())
    throw InputError(verdict);

  std::vector<SliceRange> remaining;
  std::unique_ptr<CheckpointLock> lock;  // rank 0, for the job's lifetime
  Checkpoint state = prepare_state(config, rank, comm, remaining, lock);
  const std::uint64_t resumed = state.done_count();
  const SignalGuard signals(fmt::format("hyperslice: error: rank {} on {} crashed on signal ", rank, job::host_name()));
  if (rank == 0 && hooks.on_start) hooks.on_start(survey);

  const Hierarchy hierarchy = make_hierarchy(config, comm);
  const Team team{threads, *pinner, rank == 0 || hierarchy.leads(rank)};
  const kernels::SeriesKernel kernel(config.kernel, config.terms, isa);
  const Plan plan(config.terms, config.slices);
  std::vector<std::string> hosts;  // by rank, for rank 0's messages
  for (const auto& r : survey.ranks) hosts.push_back(r.host);

  MPI_Barrier(comm);
  const double t0 = MPI_Wtime();
  CoordinatorOutcome outcome;
  RankStats mine;
  mine.rank = rank;
  if (rank == 0) {
    outcome = run_coordinator(config, plan, kernel, team, std::move(state), remaining, comm, hosts, hierarchy,
                              hooks.progress);
    mine.slices = outcome.own.slices;
    mine.blocks = outcome.own.blocks;
    mine.seconds = outcome.compute_seconds;
  } else {
    const WorkerTally t =
        config.schedule == Schedule::static_blocks
            ? run_static_worker(kernel, plan, team, comm, rank, NonemptySlices(plan, static_share(remaining, rank, ranks)))
        : hierarchy.leads(rank) ? run_leader(config, kernel, plan, team, comm, rank, hierarchy.members(rank))
                                : run_dynamic_worker(kernel, plan, team, comm, rank, hierarchy.boss(rank));
    mine.slices = t.slices;
    mine.blocks = t.blocks;
    mine.seconds = MPI_Wtime() - t0;
  }
  // Every rank leaves through this broadcast: 0, or the signal that stopped the run.
  int verdict = outcome.interrupted_by;
  MPI_Bcast(&verdict, 1, MPI_INT, 0, comm);
  if (verdict != 0) throw Interrupted(verdict, outcome.interrupt_message);
  const double seconds = MPI_Wtime() - t0;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  mine.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
  RunResult res;
  res.per_rank.resize(rank == 0 ? static_cast<std::size_t>(ranks) : 0);
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, res.per_rank.data(), sizeof mine, MPI_BYTE, 0, comm);
  res.config = config;
  res.ranks = ranks;
  res.threads = threads;
  res.groups = hierarchy.groups();
  if (rank == 0) {
    res.pi = kernel.finish(outcome.state.sum);
    res.resumed_slices = resumed;
    for (const SliceRange& r : remaining) res.terms_computed += plan.terms_in(r);
    res.seconds = seconds;
    res.isa = topology::isa_of(survey);
    for (const auto& h : survey.hosts) res.hosts.push_back(h.host);
    if (config.verify) {
      const kernels::ExactLeibniz exact = kernels::exact_leibniz(config.terms);
      res.verification = Verification{exact.rounded, kernels::ulps_between(res.pi, exact.rounded), exact.method};
    }
  }
  res.survey = std::move(survey);
  return res;
}

}  // namespace hs::engine
