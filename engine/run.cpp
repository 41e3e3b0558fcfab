// run_pi: scheduling slices over ranks and blocks over threads; exact accumulation and reduction.
#include "engine/run.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <sys/resource.h>

#include "engine/error.hpp"
#include "engine/plan.hpp"
#include "kernels/series.hpp"
#include "topology/affinity.hpp"

namespace hs::engine {
namespace {

using kernels::ExactAccumulator;

constexpr int kTagRequest = 1;
constexpr int kTagReply = 2;
constexpr std::int64_t kNoMoreSlices = -1;

// Fixed-size record gathered from every rank.
struct RankRecord {
  char host[MPI_MAX_PROCESSOR_NAME];
  char isa[16];
  int isa_ok;
  int threads;
  std::uint64_t slices;
  std::uint64_t blocks;
  double seconds;
  double max_rss_mb;
};

// Sums blocks [begin, end) over the team's threads into per-thread accumulators, merged into acc.
// tick() runs on the master thread between blocks (MPI service, progress): FUNNELED is enough.
struct Team {
  int threads;
  const topology::ThreadPinner& pinner;
};

template <class Tick>
void sum_blocks(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team, ExactAccumulator& acc, Tick&& tick) {
  if (r.size() == 0) return;
#pragma omp parallel num_threads(team.threads)
  {
    team.pinner.pin(omp_get_thread_num());  // no-op when already there
    ExactAccumulator local;
#pragma omp for schedule(dynamic, 1) nowait
    for (std::uint64_t b = r.begin; b < r.end; ++b) {
      kernel.sum_block(b, local);
      if (omp_get_thread_num() == 0) tick();
    }
#pragma omp critical(hyperslice_merge)
    acc.merge(local);
  }
}

class ProgressClock {
 public:
  ProgressClock(ProgressFn fn, std::uint64_t total) : fn_(std::move(fn)), total_(total), start_(MPI_Wtime()) {}
  void report(std::uint64_t done) {
    if (!fn_) return;
    const double now = MPI_Wtime();
    if (now - last_ < 0.25) return;
    last_ = now;
    fn_(Progress{done, total_, now - start_});
  }

 private:
  ProgressFn fn_;
  std::uint64_t total_;
  double start_;
  double last_ = 0;
};

// Dynamic schedule, rank 0: hands out slice indices on request and computes slices itself, serving
// requests between its own blocks. Returns the slices it computed.
std::uint64_t master(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& threads, int ranks, MPI_Comm comm,
                     ExactAccumulator& acc, std::uint64_t& blocks_done, ProgressClock& clock) {
  std::uint64_t next = 0, mine = 0;
  int finished = 0;
  std::int64_t request_buf = 0;
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Status status;
  auto give = [&](int dest) {
    std::int64_t s = kNoMoreSlices;
    if (next < plan.slices()) s = static_cast<std::int64_t>(next++);
    else ++finished;
    MPI_Send(&s, 1, MPI_INT64_T, dest, kTagReply, comm);
  };
  auto serve = [&]() {
    if (ranks == 1) return;
    int done = 1;
    while (finished < ranks - 1 && done) {
      if (request == MPI_REQUEST_NULL) MPI_Irecv(&request_buf, 1, MPI_INT64_T, MPI_ANY_SOURCE, kTagRequest, comm, &request);
      MPI_Test(&request, &done, &status);
      if (done) give(status.MPI_SOURCE);
    }
  };
  while (next < plan.slices()) {
    const std::uint64_t s = next++;
    ++mine;
    const BlockRange r = plan.slice_blocks(s);
    sum_blocks(kernel, r, threads, acc, [&] {
      serve();
      clock.report(next);
    });
    blocks_done += r.size();
    serve();
  }
  while (finished < ranks - 1) {
    if (request == MPI_REQUEST_NULL) MPI_Irecv(&request_buf, 1, MPI_INT64_T, MPI_ANY_SOURCE, kTagRequest, comm, &request);
    MPI_Wait(&request, &status);
    give(status.MPI_SOURCE);
  }
  return mine;
}

// Dynamic schedule, ranks > 0: always one request in flight, so the next slice index is usually
// waiting when the current slice is done.
std::uint64_t worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& threads, MPI_Comm comm,
                     ExactAccumulator& acc, std::uint64_t& blocks_done) {
  std::int64_t ask = 0, current = 0, next = 0;
  MPI_Send(&ask, 1, MPI_INT64_T, 0, kTagRequest, comm);
  MPI_Recv(&current, 1, MPI_INT64_T, 0, kTagReply, comm, MPI_STATUS_IGNORE);
  std::uint64_t mine = 0;
  while (current != kNoMoreSlices) {
    MPI_Request reqs[2];
    MPI_Isend(&ask, 1, MPI_INT64_T, 0, kTagRequest, comm, &reqs[0]);
    MPI_Irecv(&next, 1, MPI_INT64_T, 0, kTagReply, comm, &reqs[1]);
    const BlockRange r = plan.slice_blocks(static_cast<std::uint64_t>(current));
    sum_blocks(kernel, r, threads, acc, [] {});
    blocks_done += r.size();
    ++mine;
    MPI_Waitall(2, reqs, MPI_STATUSES_IGNORE);
    current = next;
  }
  return mine;
}

}  // namespace

std::string host_name() {
  char buf[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

topology::Survey survey_ranks(MPI_Comm comm, const topology::ThreadPinner& pinner, int threads, bool threads_given,
                              const std::string& isa) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  topology::RankPlacement placement = topology::observe_rank(pinner, threads);
  placement.rank = rank;
  placement.host = host_name();
  placement.isa = isa;
  placement.omp_num_threads_set = std::getenv("OMP_NUM_THREADS") != nullptr;
  placement.threads_given = threads_given;
  return topology::gather_survey(comm, pinner.machine().summary(placement.host), placement);
}

int resolve_threads(int configured) {
  if (configured > 0) return configured;
  if (const char* env = std::getenv("OMP_NUM_THREADS"); env && *env) {
    const int n = std::atoi(env);  // OpenMP's own parsing: "4" or "4,2" (first level)
    if (n > 0) return n;
  }
  return std::max(1, topology::bound_core_count());
}

RunResult run_pi(const RunConfig& config, MPI_Comm comm, const RunHooks& hooks) {
  const ProgressFn& progress = hooks.progress;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);

  const kernels::Isa isa = config.isa.value_or(kernels::best_isa());
  const int threads = resolve_threads(config.threads);
  RankRecord me{};
  const std::string host = host_name();
  std::snprintf(me.host, sizeof me.host, "%s", host.c_str());
  std::snprintf(me.isa, sizeof me.isa, "%s", std::string(kernels::name(isa)).c_str());
  me.isa_ok = kernels::isa_supported(isa) ? 1 : 0;
  me.threads = threads;

  std::vector<RankRecord> all(static_cast<std::size_t>(ranks));
  MPI_Allgather(&me, sizeof me, MPI_BYTE, all.data(), sizeof me, MPI_BYTE, comm);
  for (const auto& r : all) {
    if (!r.isa_ok)
      throw InputError(fmt::format("--isa {}: not supported by the CPU (or OS) of rank {} on {}", r.isa,
                                   &r - all.data(), r.host));
  }

  // Where every rank and thread runs, checked for pitfalls before any work (one warning each, rank 0).
  const topology::Machine machine = topology::Machine::this_host();
  const topology::ThreadPinner pinner(machine, config.pin);
  topology::Survey survey = survey_ranks(comm, pinner, threads, config.threads > 0, me.isa);
  if (rank == 0 && hooks.on_start) hooks.on_start(survey);
  const Team team{threads, pinner};

  const kernels::SeriesKernel kernel(config.kernel, config.terms, isa);
  const Plan plan(config.terms, config.slices);
  ExactAccumulator acc;
  std::uint64_t slices_mine = 0, blocks_mine = 0;

  MPI_Barrier(comm);
  const double t0 = MPI_Wtime();
  if (config.schedule == Schedule::static_blocks) {
    const BlockRange share = plan.rank_slices(rank, ranks);
    const BlockRange blocks = plan.rank_blocks(rank, ranks);
    ProgressClock clock(rank == 0 ? progress : ProgressFn{}, plan.slices());
    std::uint64_t done = 0;
    sum_blocks(kernel, blocks, team, acc, [&] {
      // Rank 0 sees only its own share; scaled, it is the whole job's progress under static slices.
      ++done;
      clock.report(blocks.size() ? done * plan.slices() / blocks.size() : 0);
    });
    slices_mine = share.size();
    blocks_mine = blocks.size();
  } else if (rank == 0) {
    ProgressClock clock(progress, plan.slices());
    slices_mine = master(kernel, plan, team, ranks, comm, acc, blocks_mine, clock);
  } else {
    slices_mine = worker(kernel, plan, team, comm, acc, blocks_mine);
  }
  const double compute_seconds = MPI_Wtime() - t0;

  // Exact reduction: normalised limbs are below 2^32, so an int64 MPI_SUM over any rank count is exact.
  const ExactAccumulator::Limbs limbs = acc.limbs();
  ExactAccumulator::Limbs total{};
  MPI_Reduce(limbs.data(), total.data(), ExactAccumulator::kLimbs, MPI_INT64_T, MPI_SUM, 0, comm);
  int nonfinite = acc.nonfinite() ? 1 : 0, any_nonfinite = 0;
  MPI_Reduce(&nonfinite, &any_nonfinite, 1, MPI_INT, MPI_LOR, 0, comm);
  const double seconds = MPI_Wtime() - t0;

  me.slices = slices_mine;
  me.blocks = blocks_mine;
  me.seconds = compute_seconds;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  me.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
  MPI_Gather(&me, sizeof me, MPI_BYTE, all.data(), sizeof me, MPI_BYTE, 0, comm);

  RunResult res;
  res.config = config;
  res.ranks = ranks;
  res.threads = threads;
  res.survey = std::move(survey);
  if (rank == 0) {
    res.pi = kernel.finish(ExactAccumulator::from_limbs(total, any_nonfinite != 0));
    res.seconds = seconds;
    res.isa = all[0].isa;
    for (const auto& r : all) {
      RankStats st;
      st.rank = static_cast<int>(&r - all.data());
      st.host = r.host;
      st.threads = r.threads;
      st.isa = r.isa;
      st.slices = r.slices;
      st.blocks = r.blocks;
      st.seconds = r.seconds;
      st.max_rss_mb = r.max_rss_mb;
      if (st.isa != res.isa) res.isa = "mixed";
      if (std::find(res.hosts.begin(), res.hosts.end(), st.host) == res.hosts.end()) res.hosts.push_back(st.host);
      res.per_rank.push_back(std::move(st));
    }
  }
  return res;
}

}  // namespace hs::engine
