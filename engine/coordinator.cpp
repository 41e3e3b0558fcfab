// run_coordinator: rank 0's side of the protocol (engine/protocol.hpp).
//
// Rank 0 coordinates and computes: it hands out slices (dynamic schedule, the seed's master/worker)
// and receives every finished slice's exact contribution (integer limbs), so at any moment it knows
// exactly which slices are done and their exact sum -- which is what a checkpoint holds. Workers send
// a heartbeat every second; a rank silent for --fail-timeout seconds is declared lost. Under the
// hierarchical schedule rank 0 serves its own group so, and each other group through its leader in
// batches (engine/leader.hpp); a leader watches its group's heartbeats and reports a silent member.
#include "engine/coordinator.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include "engine/run_errors.hpp"
#include "engine/faults.hpp"
#include "engine/protocol.hpp"
#include "engine/signals.hpp"
#include "launch/launcher_process.hpp"

namespace hs::engine {
namespace {

using kernels::ExactAccumulator;

// Rank 0's bookkeeping: the slices left, the exact state, who is alive, when to write a checkpoint.
class Coordinator {
 public:
  Coordinator(const RunConfig& config, const Plan& plan, Checkpoint state, const std::vector<SliceRange>& remaining,
              int ranks, MPI_Comm comm, const std::vector<std::string>& hosts, const Hierarchy& hierarchy,
              const ProgressFn& progress)
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
    untaken_ = outstanding_;
    group_.assign(static_cast<std::size_t>(ranks), 1);
    for (int r = 1; r < ranks_; ++r) {
      const int boss = hierarchy.boss(r);
      if (boss == 0) {
        ++clients_;
        continue;
      }
      active_[static_cast<std::size_t>(r)] = false;  // its leader watches it
      ++group_[static_cast<std::size_t>(boss)];
    }
    if (config_.schedule == Schedule::static_blocks)
      for (int r = 1; r < ranks_; ++r) {
        expected_[static_cast<std::size_t>(r)] = NonemptySlices(plan_, static_share(remaining, r, ranks_)).count();
        active_[static_cast<std::size_t>(r)] = expected_[static_cast<std::size_t>(r)] > 0;
      }
    done_at_start_ = state_.done_count();
  }

  // Dynamic schedule: the next non-empty slice nobody has yet (none once stopping). Slices are handed
  // out in increasing order, so everything from cursor_ on is either done (resumed) or untouched.
  std::optional<std::uint64_t> take() {
    while (!stopping_ && cursor_ < plan_.slices()) {
      const std::uint64_t s = plan_.next_nonempty(state_.done.next_missing(cursor_));
      cursor_ = s + 1;
      if (s < plan_.slices() && !state_.done.contains(s)) {
        --untaken_;
        return s;
      }
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
      if (st.MPI_TAG == protocol::kTagResult) {
        protocol::ResultMsg m;
        MPI_Recv(m.data(), static_cast<int>(m.size()), MPI_INT64_T, src, protocol::kTagResult, comm_, MPI_STATUS_IGNORE);
        complete(static_cast<std::uint64_t>(m[0]), protocol::unpack(m));
        if (config_.schedule == Schedule::static_blocks && --expected_[static_cast<std::size_t>(src)] == 0)
          active_[static_cast<std::size_t>(src)] = false;
      } else if (st.MPI_TAG == protocol::kTagResults) {
        int n = 0;
        MPI_Get_count(&st, MPI_INT64_T, &n);
        std::vector<std::int64_t> v(static_cast<std::size_t>(n));
        MPI_Recv(v.data(), n, MPI_INT64_T, src, protocol::kTagResults, comm_, MPI_STATUS_IGNORE);
        protocol::ResultMsg m;
        for (std::size_t i = 0; i + m.size() <= v.size(); i += m.size()) {
          std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(i), m.size(), m.begin());
          complete(static_cast<std::uint64_t>(m[0]), protocol::unpack(m));
        }
      } else if (st.MPI_TAG == protocol::kTagBatchRequest) {
        std::int64_t ignored;
        MPI_Recv(&ignored, 1, MPI_INT64_T, src, protocol::kTagBatchRequest, comm_, MPI_STATUS_IGNORE);
        std::vector<std::int64_t> batch;
        const std::uint64_t k = batch_size(src);
        while (batch.size() < k)
          if (const auto s = take())
            batch.push_back(static_cast<std::int64_t>(*s));
          else
            break;
        if (batch.empty()) batch.push_back(protocol::kNoMoreSlices);  // the leader ends with LEADER_DONE
        MPI_Send(batch.data(), static_cast<int>(batch.size()), MPI_INT64_T, src, protocol::kTagBatch, comm_);
      } else if (st.MPI_TAG == protocol::kTagLost) {
        std::array<std::int64_t, 2> lost{};
        MPI_Recv(lost.data(), 2, MPI_INT64_T, src, protocol::kTagLost, comm_, MPI_STATUS_IGNORE);
        fail(static_cast<int>(lost[0]), static_cast<double>(lost[1]) / 1000.0);
      } else if (st.MPI_TAG == protocol::kTagRequest) {
        std::int64_t ignored;
        MPI_Recv(&ignored, 1, MPI_INT64_T, src, protocol::kTagRequest, comm_, MPI_STATUS_IGNORE);
        const auto s = take();
        const std::int64_t reply = s ? static_cast<std::int64_t>(*s) : protocol::kNoMoreSlices;
        if (!s) {
          active_[static_cast<std::size_t>(src)] = false;
          ++finished_;
        }
        MPI_Send(&reply, 1, MPI_INT64_T, src, protocol::kTagReply, comm_);
      } else {
        std::int64_t payload = 0;
        MPI_Recv(&payload, 1, MPI_INT64_T, src, st.MPI_TAG, comm_, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == protocol::kTagStopped || st.MPI_TAG == protocol::kTagLeaderDone) {
          active_[static_cast<std::size_t>(src)] = false;
          if (st.MPI_TAG == protocol::kTagLeaderDone) ++finished_;
          if (!stopping_ && payload != 0) begin_stop(static_cast<int>(payload));  // a rank was interrupted first
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
      progress_(Progress{state_.done_count(), plan_.slices(), now - start_, done_at_start_, config_.terms});
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
      } else if (outstanding_ == 0 && (config_.schedule == Schedule::static_blocks || finished_ == clients_)) {
        break;
      }
      if (!poll()) usleep(50);
    }
    if (!config_.checkpoint.empty()) save();
    return stopping_;
  }

  [[nodiscard]] std::string interrupt_message() const {
    std::string name = stopping_ == SIGINT ? "SIGINT" : stopping_ == SIGTERM ? "SIGTERM" : "a signal";
    // Open MPI's mpirun stops its ranks with SIGTERM whether it got SIGINT (Ctrl-C) or SIGTERM, so the
    // ranks cannot tell which: say who sent it rather than guess.
    const auto launcher = launch::launcher_process();
    if (stopping_ == SIGTERM && launcher && pending_signal_sender() == launcher->pid)
      name += fmt::format(" from {} (which stops its ranks with SIGTERM on SIGINT and SIGTERM alike)", launcher->name);
    if (config_.checkpoint.empty())
      return fmt::format("interrupted by {} after {} of {} slices; without --checkpoint the work is lost", name,
                         state_.done_count(), plan_.slices());
    return fmt::format("interrupted by {}: checkpoint '{}' holds {} of {} slices; rerun with --resume to finish", name,
                       config_.checkpoint, state_.done_count(), plan_.slices());
  }

  [[nodiscard]] const Checkpoint& state() const { return state_; }

 private:
  // Guided: a group gets its share of half the slices nobody has yet, at most two per rank of the group.
  [[nodiscard]] std::uint64_t batch_size(int leader) const {
    const std::uint64_t group = group_[static_cast<std::size_t>(leader)];
    const std::uint64_t share = untaken_ * group / (2 * static_cast<std::uint64_t>(ranks_));
    return std::clamp<std::uint64_t>(share, 1, 2 * group);
  }

  void begin_stop(int sig) {
    stopping_ = sig != 0 ? sig : SIGTERM;
    const std::int64_t payload = stopping_;
    for (int r = 1; r < ranks_; ++r)
      if (active_[static_cast<std::size_t>(r)]) MPI_Send(&payload, 1, MPI_INT64_T, r, protocol::kTagStop, comm_);
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
  std::uint64_t untaken_ = 0;      // non-empty slices not yet handed out (dynamic, hierarchical)
  std::vector<std::uint64_t> group_;  // by leader: ranks in its group, itself included
  int clients_ = 0;                // ranks rank 0 serves directly: its own group's and the leaders
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
  std::uint64_t done_at_start_ = 0;
  bool write_warned_ = false;
};

}  // namespace

CoordinatorOutcome run_coordinator(const RunConfig& config, const Plan& plan, const kernels::SeriesKernel& kernel,
                                   const Team& team, Checkpoint state, const std::vector<SliceRange>& remaining,
                                   MPI_Comm comm, const std::vector<std::string>& hosts, const Hierarchy& hierarchy,
                                   const ProgressFn& progress) {
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  const double t0 = MPI_Wtime();
  const bool dynamic = config.schedule != Schedule::static_blocks;
  Coordinator coord(config, plan, std::move(state), remaining, ranks, comm, hosts, hierarchy, progress);
  NonemptySlices own(plan, dynamic ? std::vector<SliceRange>{} : static_share(remaining, 0, ranks));
  const std::function<bool()> serve = [&] {
    coord.poll();
    return coord.stopping();
  };
  CoordinatorOutcome out;
  for (;;) {
    const std::optional<std::uint64_t> s = dynamic ? coord.take() : coord.stopping() ? std::nullopt : own.next();
    if (!s) break;
    const BlockRange r = plan.slice_blocks(*s);
    bool abandoned = false;
    ExactAccumulator acc = compute_slice(kernel, r, team, serve, abandoned);
    if (abandoned) break;
    if (maybe_inject_fault(0, out.own.slices + 1, serve)) acc.add(1e-9);
    if (coord.stopping()) break;  // dropped: recomputed on --resume
    coord.complete(*s, acc);
    coord.poll();
    out.own.blocks += r.size();
    ++out.own.slices;
  }
  out.compute_seconds = MPI_Wtime() - t0;
  out.interrupted_by = coord.wait_all();
  if (out.interrupted_by) out.interrupt_message = coord.interrupt_message();
  out.state = coord.state();
  return out;
}

}  // namespace hs::engine
