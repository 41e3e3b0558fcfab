// run_pi: scheduling slices over ranks and blocks over threads; exact accumulation; checkpoints.
//
// Rank 0 coordinates and computes: it hands out slices (dynamic schedule, the seed's master/worker)
// and receives every finished slice's exact contribution (integer limbs), so at any moment it knows
// exactly which slices are done and their exact sum -- which is what a checkpoint holds. Workers send
// a heartbeat every second; a rank silent for --fail-timeout seconds is declared lost.
#include "engine/run.hpp"

#include <fmt/format.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "engine/checkpoint.hpp"
#include "engine/error.hpp"
#include "engine/faults.hpp"
#include "engine/plan.hpp"
#include "engine/signals.hpp"
#include "engine/slice_set.hpp"
#include "kernels/series.hpp"
#include "topology/affinity.hpp"

namespace hs::engine {
namespace {

using kernels::ExactAccumulator;

constexpr int kTagRequest = 1;
constexpr int kTagReply = 2;
constexpr int kTagResult = 3;
constexpr int kTagHeartbeat = 4;
constexpr int kTagStop = 5;     // rank 0 -> workers: stop after an interrupt
constexpr int kTagStopped = 6;  // worker -> rank 0: stopped (its slice in progress abandoned)
constexpr std::int64_t kNoMoreSlices = -1;
constexpr double kHeartbeatSeconds = 1.0;
constexpr double kStopCheckSeconds = 0.005;  // a worker looks for a signal or STOP this often (a clock read between blocks)

// One finished slice: index, non-finite flag, normalised limbs.
using ResultMsg = std::array<std::int64_t, ExactAccumulator::kLimbs + 2>;

ResultMsg pack(std::uint64_t slice, const ExactAccumulator& acc) {
  ResultMsg m{};
  m[0] = static_cast<std::int64_t>(slice);
  m[1] = acc.nonfinite() ? 1 : 0;
  const auto limbs = acc.limbs();
  std::copy(limbs.begin(), limbs.end(), m.begin() + 2);
  return m;
}

ExactAccumulator unpack(const ResultMsg& m) {
  ExactAccumulator::Limbs limbs{};
  std::copy(m.begin() + 2, m.end(), limbs.begin());
  return ExactAccumulator::from_limbs(limbs, m[1] != 0);
}

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

struct Team {
  int threads;
  const topology::ThreadPinner& pinner;
};

// Sums the blocks of one slice over the team's threads (per-thread accumulators, merged exactly).
// tick() runs on the master thread between blocks (MPI service, heartbeats): FUNNELED is enough. When
// tick() returns true the slice is abandoned (an interrupt): the remaining blocks are skipped and the
// caller must drop the partial result.
template <class Tick>
ExactAccumulator sum_slice(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team, Tick&& tick,
                           bool& abandoned) {
  ExactAccumulator acc;
  abandoned = false;
  if (r.size() == 0) return acc;
  std::atomic<bool> stop{false};
#pragma omp parallel num_threads(team.threads)
  {
    team.pinner.pin(omp_get_thread_num());  // no-op when already there
    ExactAccumulator local;
#pragma omp for schedule(dynamic, 1) nowait
    for (std::uint64_t b = r.begin; b < r.end; ++b) {
      if (stop.load(std::memory_order_relaxed)) continue;
      kernel.sum_block(b, local);
      if (omp_get_thread_num() == 0 && tick()) stop.store(true, std::memory_order_relaxed);
    }
#pragma omp critical(hyperslice_merge)
    acc.merge(local);
  }
  abandoned = stop.load();
  return acc;
}

// The non-empty slices of a sorted list of ranges, in order (a static share, skipping empty slices).
class NonemptySlices {
 public:
  NonemptySlices(const Plan& plan, std::vector<SliceRange> ranges) : plan_(plan), ranges_(std::move(ranges)) {}
  std::optional<std::uint64_t> next() {
    for (; i_ < ranges_.size(); ++i_) {
      const std::uint64_t s = plan_.next_nonempty(std::max(at_, ranges_[i_].begin));
      if (s < ranges_[i_].end) {
        at_ = s + 1;
        return s;
      }
    }
    return std::nullopt;
  }
  [[nodiscard]] std::uint64_t count() const {
    std::uint64_t n = 0;
    for (const auto& r : ranges_) n += plan_.nonempty_in(r);
    return n;
  }

 private:
  const Plan& plan_;
  std::vector<SliceRange> ranges_;
  std::size_t i_ = 0;
  std::uint64_t at_ = 0;
};

// Rank 0's bookkeeping: the slices left, the exact state, who is alive, when to write a checkpoint.
class Coordinator {
 public:
  Coordinator(const RunConfig& config, const Plan& plan, Checkpoint state, const std::vector<SliceRange>& remaining,
              int ranks, MPI_Comm comm, const std::vector<std::string>& hosts, const ProgressFn& progress)
      : config_(config),
        plan_(plan),
        state_(std::move(state)),
        ranks_(ranks),
        comm_(comm),
        hosts_(hosts),
        progress_(progress),
        last_seen_(static_cast<std::size_t>(ranks), MPI_Wtime()),
        active_(static_cast<std::size_t>(ranks), true),
        expected_(static_cast<std::size_t>(ranks), 0),
        start_(MPI_Wtime()),
        last_write_(start_) {
    active_[0] = false;
    state_.done.insert(plan_.leading_empty());  // empty: done by definition
    outstanding_ = NonemptySlices(plan_, remaining).count();
    if (config_.schedule == Schedule::static_blocks)
      for (int r = 1; r < ranks_; ++r) {
        expected_[static_cast<std::size_t>(r)] = NonemptySlices(plan_, static_share(remaining, r, ranks_)).count();
        active_[static_cast<std::size_t>(r)] = expected_[static_cast<std::size_t>(r)] > 0;
      }
  }

  // Dynamic schedule: the next non-empty slice nobody has yet (none once stopping). Slices are handed
  // out in increasing order, so everything from cursor_ on is either done (resumed) or untouched.
  std::optional<std::uint64_t> take() {
    while (!stopping_ && cursor_ < plan_.slices()) {
      const std::uint64_t s = plan_.next_nonempty(state_.done.next_missing(cursor_));
      cursor_ = s + 1;
      if (s < plan_.slices() && !state_.done.contains(s)) return s;
    }
    return std::nullopt;
  }

  [[nodiscard]] bool stopping() const { return stopping_ != 0; }

  void complete(std::uint64_t slice, const ExactAccumulator& acc) {
    if (slice >= plan_.slices() || state_.done.contains(slice)) return;  // never twice
    state_.done.insert(plan_.done_with(slice));
    state_.sum.merge(acc);
    --outstanding_;
  }

  // Drains messages, watches for silent ranks, writes checkpoints, reports progress. Returns whether
  // anything arrived.
  bool poll() {
    bool any = false;
    for (;;) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &st);
      if (!flag) break;
      any = true;
      const int src = st.MPI_SOURCE;
      last_seen_[static_cast<std::size_t>(src)] = MPI_Wtime();
      if (st.MPI_TAG == kTagResult) {
        ResultMsg m;
        MPI_Recv(m.data(), static_cast<int>(m.size()), MPI_INT64_T, src, kTagResult, comm_, MPI_STATUS_IGNORE);
        complete(static_cast<std::uint64_t>(m[0]), unpack(m));
        if (config_.schedule == Schedule::static_blocks && --expected_[static_cast<std::size_t>(src)] == 0)
          active_[static_cast<std::size_t>(src)] = false;
      } else if (st.MPI_TAG == kTagRequest) {
        std::int64_t ignored;
        MPI_Recv(&ignored, 1, MPI_INT64_T, src, kTagRequest, comm_, MPI_STATUS_IGNORE);
        const auto s = take();
        const std::int64_t reply = s ? static_cast<std::int64_t>(*s) : kNoMoreSlices;
        if (!s) {
          active_[static_cast<std::size_t>(src)] = false;
          ++finished_;
        }
        MPI_Send(&reply, 1, MPI_INT64_T, src, kTagReply, comm_);
      } else {
        std::int64_t payload = 0;
        MPI_Recv(&payload, 1, MPI_INT64_T, src, st.MPI_TAG, comm_, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == kTagStopped) {
          active_[static_cast<std::size_t>(src)] = false;
          if (!stopping_) begin_stop(static_cast<int>(payload));  // a worker was interrupted first
        }
      }
    }
    if (!stopping_ && pending_signal() != 0) begin_stop(pending_signal());
    const double now = MPI_Wtime();
    for (int r = 1; r < ranks_; ++r)
      if (active_[static_cast<std::size_t>(r)] && now - last_seen_[static_cast<std::size_t>(r)] > config_.fail_timeout)
        fail(r, now - last_seen_[static_cast<std::size_t>(r)]);
    if (!config_.checkpoint.empty() && now - last_write_ >= config_.checkpoint_every) save();
    if (progress_ && now - last_progress_ >= 0.25) {
      last_progress_ = now;
      progress_(Progress{state_.done_count(), plan_.slices(), now - start_});
    }
    return any;
  }

  // Until every slice is in and every dynamic worker has been told to stop; or, after an interrupt,
  // until every worker still computing has stopped (at most 5 s). Returns the interrupting signal or 0.
  int wait_all() {
    double stop_deadline = 0;
    for (;;) {
      if (stopping_) {
        if (stop_deadline == 0) stop_deadline = MPI_Wtime() + 5.0;
        if (std::none_of(active_.begin(), active_.end(), [](bool a) { return a; }) || MPI_Wtime() > stop_deadline)
          break;
      } else if (outstanding_ == 0 && (config_.schedule != Schedule::dynamic || finished_ == ranks_ - 1)) {
        break;
      }
      if (!poll()) usleep(50);
    }
    if (!config_.checkpoint.empty()) save();
    return stopping_;
  }

  [[nodiscard]] std::string interrupt_message() const {
    const char* name = stopping_ == SIGINT ? "SIGINT" : stopping_ == SIGTERM ? "SIGTERM" : "a signal";
    if (config_.checkpoint.empty())
      return fmt::format("interrupted by {} after {} of {} slices; without --checkpoint the work is lost", name,
                         state_.done_count(), plan_.slices());
    return fmt::format("interrupted by {}: checkpoint '{}' holds {} of {} slices; rerun with --resume to finish", name,
                       config_.checkpoint, state_.done_count(), plan_.slices());
  }

  [[nodiscard]] const Checkpoint& state() const { return state_; }

 private:
  void begin_stop(int sig) {
    stopping_ = sig != 0 ? sig : SIGTERM;
    const std::int64_t payload = stopping_;
    for (int r = 1; r < ranks_; ++r)
      if (active_[static_cast<std::size_t>(r)]) MPI_Send(&payload, 1, MPI_INT64_T, r, kTagStop, comm_);
  }

  void save() {
    last_write_ = MPI_Wtime();
    if (!write_checkpoint(config_.checkpoint, state_) && !write_warned_) {
      write_warned_ = true;
      std::fprintf(stderr, "hyperslice: warning: cannot write checkpoint '%s': %s (the run goes on)\n",
                   config_.checkpoint.c_str(), std::strerror(errno));
    }
  }

  [[noreturn]] void fail(int r, double silent) {
    std::string saved;
    if (!config_.checkpoint.empty()) {
      save();
      saved = fmt::format("; checkpoint '{}' holds {} of {} slices: rerun with --resume on the remaining nodes",
                          config_.checkpoint, state_.done_count(), plan_.slices());
    }
    throw JobFailure(
        fmt::format("rank {} on {} has been silent for {:.0f} s (its node is down, its link lost, or it hangs){}", r,
                    hosts_[static_cast<std::size_t>(r)], silent, saved));
  }

  const RunConfig& config_;
  const Plan& plan_;
  Checkpoint state_;
  std::uint64_t cursor_ = 0;  // dynamic schedule: slices below it have been handed out or skipped
  std::uint64_t outstanding_ = 0;  // non-empty slices not yet done
  int ranks_;
  MPI_Comm comm_;
  const std::vector<std::string>& hosts_;
  const ProgressFn& progress_;
  std::vector<double> last_seen_;
  std::vector<bool> active_;
  std::vector<std::uint64_t> expected_;
  int finished_ = 0;
  int stopping_ = 0;  // the interrupting signal
  double start_, last_write_, last_progress_ = 0;
  bool write_warned_ = false;
};

// A worker's master thread between blocks: heartbeats to rank 0, and whether to stop (its own signal,
// or rank 0's STOP after an interrupt). Returns true when the worker must stop.
class WorkerTick {
 public:
  explicit WorkerTick(MPI_Comm comm) : comm_(comm), last_beat_(MPI_Wtime()) {}
  bool operator()() {
    const double now = MPI_Wtime();
    if (now - last_check_ >= kStopCheckSeconds) {
      last_check_ = now;
      if (pending_signal() != 0 && !signal_) signal_ = pending_signal();
      int flag = 0;
      MPI_Iprobe(0, kTagStop, comm_, &flag, MPI_STATUS_IGNORE);
      if (flag) {
        std::int64_t sig = 0;
        MPI_Recv(&sig, 1, MPI_INT64_T, 0, kTagStop, comm_, MPI_STATUS_IGNORE);
        told_ = static_cast<int>(sig);
      }
    }
    if (now - last_beat_ >= kHeartbeatSeconds) {
      last_beat_ = now;
      const std::int64_t beat = 0;
      MPI_Send(&beat, 1, MPI_INT64_T, 0, kTagHeartbeat, comm_);
    }
    return stop();
  }
  [[nodiscard]] bool stop() const { return signal_ != 0 || told_ != 0; }
  // Tells rank 0 this worker stopped (unless rank 0 told it to: then rank 0 knows).
  void report_stopped() {
    const std::int64_t sig = signal_ ? signal_ : told_;
    MPI_Send(&sig, 1, MPI_INT64_T, 0, kTagStopped, comm_);
  }

 private:
  MPI_Comm comm_;
  double last_beat_, last_check_ = 0;
  int signal_ = 0, told_ = 0;
};

void send_result(MPI_Comm comm, std::uint64_t slice, const ExactAccumulator& acc) {
  const ResultMsg m = pack(slice, acc);
  MPI_Send(m.data(), static_cast<int>(m.size()), MPI_INT64_T, 0, kTagResult, comm);
}

// After computing a slice, before reporting it: the fault hook (a test may hold the rank here), then
// whether the run is stopping -- in which case the slice is dropped (recomputed on --resume).
bool keep_after_fault_hook(int rank, std::uint64_t computed, WorkerTick& tick) {
  maybe_inject_fault(rank, computed, [&] { return tick(); });
  return !tick.stop();
}

// Worker, dynamic schedule: one request always in flight, so the next index is usually waiting.
std::uint64_t dynamic_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                             int rank, std::uint64_t& blocks_done) {
  WorkerTick tick(comm);
  std::int64_t ask = 0, current = 0, next = 0;
  MPI_Send(&ask, 1, MPI_INT64_T, 0, kTagRequest, comm);
  MPI_Recv(&current, 1, MPI_INT64_T, 0, kTagReply, comm, MPI_STATUS_IGNORE);
  std::uint64_t mine = 0;
  while (current != kNoMoreSlices) {
    MPI_Request reqs[2];
    MPI_Isend(&ask, 1, MPI_INT64_T, 0, kTagRequest, comm, &reqs[0]);
    MPI_Irecv(&next, 1, MPI_INT64_T, 0, kTagReply, comm, &reqs[1]);
    const BlockRange r = plan.slice_blocks(static_cast<std::uint64_t>(current));
    bool abandoned = false;
    const ExactAccumulator acc = sum_slice(kernel, r, team, tick, abandoned);
    if (!abandoned && keep_after_fault_hook(rank, mine + 1, tick)) {
      send_result(comm, static_cast<std::uint64_t>(current), acc);
      blocks_done += r.size();
      ++mine;
    }
    MPI_Waitall(2, reqs, MPI_STATUSES_IGNORE);  // rank 0 answers every request, with -1 once stopping
    current = next;
    if (tick.stop()) {
      if (current != kNoMoreSlices) tick.report_stopped();
      break;
    }
  }
  return mine;
}

std::uint64_t static_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                            int rank, NonemptySlices share, std::uint64_t& blocks_done) {
  WorkerTick tick(comm);
  std::uint64_t mine = 0;
  while (const auto s = share.next()) {
    const BlockRange r = plan.slice_blocks(*s);
    bool abandoned = false;
    const ExactAccumulator acc = sum_slice(kernel, r, team, tick, abandoned);
    if (abandoned || !keep_after_fault_hook(rank, mine + 1, tick)) {
      tick.report_stopped();
      break;
    }
    send_result(comm, *s, acc);
    blocks_done += r.size();
    ++mine;
  }
  return mine;
}

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
  int len = static_cast<int>(error.size());
  MPI_Bcast(&len, 1, MPI_INT, 0, comm);
  error.resize(static_cast<std::size_t>(len));
  MPI_Bcast(error.data(), len, MPI_CHAR, 0, comm);
  if (!error.empty()) throw InputError(error);
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

}  // namespace

std::string host_name() {
  char buf[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

std::unique_ptr<topology::ThreadPinner> make_pinner(MPI_Comm comm, const topology::Machine& machine, bool enable,
                                                    int threads) {
  const int offset = topology::shared_binding_offset(comm, topology::process_binding(machine), threads);
  return std::make_unique<topology::ThreadPinner>(machine, enable, offset);
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
      throw InputError(
          fmt::format("--isa {}: not supported by the CPU (or OS) of rank {} on {}", r.isa, &r - all.data(), r.host));
  }
  std::vector<std::string> hosts_by_rank;
  for (const auto& r : all) hosts_by_rank.emplace_back(r.host);

  std::vector<SliceRange> remaining;
  std::unique_ptr<CheckpointLock> lock;  // rank 0, for the job's lifetime
  Checkpoint state = prepare_state(config, rank, comm, remaining, lock);
  const std::uint64_t resumed = state.done_count();
  const SignalGuard signals(fmt::format("hyperslice: error: rank {} on {} crashed on signal ", rank, host));

  // Where every rank and thread runs, checked for pitfalls before any work (one warning each, rank 0).
  const topology::Machine machine = topology::Machine::this_host();
  const auto pinner = make_pinner(comm, machine, config.pin, threads);
  topology::Survey survey = survey_ranks(comm, *pinner, threads, config.threads > 0, me.isa);
  if (rank == 0 && hooks.on_start) hooks.on_start(survey);
  const Team team{threads, *pinner};

  const kernels::SeriesKernel kernel(config.kernel, config.terms, isa);
  const Plan plan(config.terms, config.slices);
  std::uint64_t slices_mine = 0, blocks_mine = 0;
  const bool dynamic = config.schedule == Schedule::dynamic;

  MPI_Barrier(comm);
  const double t0 = MPI_Wtime();
  std::optional<Coordinator> coord;
  if (rank == 0) {
    coord.emplace(config, plan, std::move(state), remaining, ranks, comm, hosts_by_rank, hooks.progress);
    NonemptySlices own(plan, dynamic ? std::vector<SliceRange>{} : static_share(remaining, 0, ranks));
    auto serve = [&] {
      coord->poll();
      return coord->stopping();
    };
    for (;;) {
      const std::optional<std::uint64_t> s = dynamic ? coord->take() : coord->stopping() ? std::nullopt : own.next();
      if (!s) break;
      const BlockRange r = plan.slice_blocks(*s);
      bool abandoned = false;
      const ExactAccumulator acc = sum_slice(kernel, r, team, serve, abandoned);
      if (abandoned) break;
      maybe_inject_fault(rank, slices_mine + 1, serve);
      if (coord->stopping()) break;  // dropped: recomputed on --resume
      coord->complete(*s, acc);
      coord->poll();
      blocks_mine += r.size();
      ++slices_mine;
    }
  } else if (dynamic) {
    slices_mine = dynamic_worker(kernel, plan, team, comm, rank, blocks_mine);
  } else {
    slices_mine = static_worker(kernel, plan, team, comm, rank,
                                NonemptySlices(plan, static_share(remaining, rank, ranks)), blocks_mine);
  }
  const double compute_seconds = MPI_Wtime() - t0;
  // Every rank leaves through this broadcast: 0, or the signal that stopped the run.
  int verdict = rank == 0 ? coord->wait_all() : 0;
  MPI_Bcast(&verdict, 1, MPI_INT, 0, comm);
  if (verdict != 0) throw Interrupted(verdict, rank == 0 ? coord->interrupt_message() : std::string());
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
    res.pi = kernel.finish(coord->state().sum);
    res.resumed_slices = resumed;
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
