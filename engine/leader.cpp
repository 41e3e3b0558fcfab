// run_leader: a group's leader, between rank 0 and its group (engine/leader.hpp, engine/protocol.hpp).
#include "engine/leader.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <tuple>

#include "engine/faults.hpp"
#include "engine/protocol.hpp"
#include "engine/signals.hpp"

namespace hs::engine {
namespace {

using kernels::ExactAccumulator;

class Leader {
 public:
  Leader(const RunConfig& config, MPI_Comm comm, const std::vector<int>& members)
      : config_(config), comm_(comm), group_(members.size() + 1), last_beat_(MPI_Wtime()) {
    for (int m : members) members_[m].last_seen = MPI_Wtime();
  }

  [[nodiscard]] bool stopping() const { return stopping_ != 0; }

  // The next slice for the leader itself: waits (serving) for one; none once rank 0 has no more or the
  // run is stopping.
  std::optional<std::uint64_t> next_own() {
    for (;;) {
      serve();
      if (stopping_) return std::nullopt;
      if (!queue_.empty()) {
        const std::uint64_t s = queue_.front();
        queue_.pop_front();
        return s;
      }
      if (upstream_done_) return std::nullopt;
      usleep(50);
    }
  }

  // A finished slice of the leader's own, held with the members' until the next flush.
  void keep(std::uint64_t slice, const ExactAccumulator& acc) { hold(protocol::pack(slice, acc)); }

  // Messages from rank 0 and the members, a batch request when the queue runs low, heartbeats, flushes
  // and the members' silence. Returns whether the run is stopping.
  bool serve() {
    for (;;) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &st);
      if (!flag) break;
      if (st.MPI_SOURCE == 0)
        from_rank0(st);
      else
        from_member(st);
    }
    if (!stopping_ && pending_signal() != 0) begin_stop(pending_signal());
    if (!stopping_ && !upstream_done_ && !batch_asked_ && queue_.size() <= group_) {
      const std::int64_t ask = static_cast<std::int64_t>(group_);
      MPI_Send(&ask, 1, MPI_INT64_T, 0, protocol::kTagBatchRequest, comm_);
      batch_asked_ = true;
    }
    const double now = MPI_Wtime();
    if (!held_.empty() && (held_count() >= group_ || now - held_since_ >= protocol::kLeaderFlushSeconds)) flush();
    if (now - last_beat_ >= protocol::kHeartbeatSeconds) {
      last_beat_ = now;
      const std::int64_t beat = 0;
      MPI_Send(&beat, 1, MPI_INT64_T, 0, protocol::kTagHeartbeat, comm_);
    }
    for (auto& [rank, m] : members_)
      if (busy(m) && !lost_reported_ && now - m.last_seen > config_.fail_timeout) {
        const std::array<std::int64_t, 2> lost{rank, static_cast<std::int64_t>((now - m.last_seen) * 1000)};
        MPI_Send(lost.data(), 2, MPI_INT64_T, 0, protocol::kTagLost, comm_);
        lost_reported_ = true;  // rank 0 ends the job
      }
    return stopping_ != 0;
  }

  // After the leader's own last slice: serve until every member is done (at most 4 s once stopping, so
  // rank 0, which waits 5 s, hears from the leader), then the last results and LEADER_DONE.
  void finish() {
    double deadline = 0;
    for (;;) {
      serve();
      if (stopping_ && deadline == 0) deadline = MPI_Wtime() + 4.0;
      bool any = false;
      for (const auto& [rank, m] : members_) any = any || busy(m);
      if (!any || (deadline != 0 && MPI_Wtime() > deadline)) break;
      usleep(50);
    }
    flush();
    const std::int64_t sig = stopping_;
    MPI_Send(&sig, 1, MPI_INT64_T, 0, protocol::kTagLeaderDone, comm_);
  }

 private:
  struct Member {
    double last_seen = 0;
    int in_hand = 0;         // slices handed to it whose result has not come back
    bool told_done = false;  // it got kNoMoreSlices
    bool stopped = false;    // it said STOPPED
  };

  // Whether a member may still send something the leader must wait for: a worker asks for its next
  // slice before computing the current one, so kNoMoreSlices can reach it with a slice still in hand.
  // Once the run is stopping, a slice in hand is dropped (recomputed on --resume).
  [[nodiscard]] bool busy(const Member& m) const {
    return !m.stopped && (!m.told_done || (!stopping_ && m.in_hand > 0));
  }

  void from_rank0(const MPI_Status& st) {
    int n = 0;
    MPI_Get_count(&st, MPI_INT64_T, &n);
    std::vector<std::int64_t> v(static_cast<std::size_t>(std::max(n, 1)));
    MPI_Recv(v.data(), n, MPI_INT64_T, 0, st.MPI_TAG, comm_, MPI_STATUS_IGNORE);
    if (st.MPI_TAG == protocol::kTagBatch) {
      batch_asked_ = false;
      if (v[0] == protocol::kNoMoreSlices)
        upstream_done_ = true;
      else
        for (int i = 0; i < n; ++i) queue_.push_back(static_cast<std::uint64_t>(v[static_cast<std::size_t>(i)]));
      answer_waiting();
    } else if (st.MPI_TAG == protocol::kTagStop && !stopping_) {
      begin_stop(static_cast<int>(v[0]));
    }
  }

  void from_member(const MPI_Status& st) {
    const int src = st.MPI_SOURCE;
    auto it = members_.find(src);
    if (st.MPI_TAG == protocol::kTagResult) {
      protocol::ResultMsg m;
      MPI_Recv(m.data(), static_cast<int>(m.size()), MPI_INT64_T, src, st.MPI_TAG, comm_, MPI_STATUS_IGNORE);
      if (it != members_.end()) --it->second.in_hand;
      hold(m);
    } else {
      std::int64_t payload = 0;
      MPI_Recv(&payload, 1, MPI_INT64_T, src, st.MPI_TAG, comm_, MPI_STATUS_IGNORE);
      if (st.MPI_TAG == protocol::kTagRequest) {
        waiting_.push_back(src);
        answer_waiting();
      } else if (st.MPI_TAG == protocol::kTagStopped && it != members_.end()) {
        it->second.stopped = true;
        if (!stopping_) begin_stop(static_cast<int>(payload));
      }
    }
    if (it != members_.end()) it->second.last_seen = MPI_Wtime();
  }

  // Members waiting for a slice get one from the queue, or kNoMoreSlices once there will be none.
  void answer_waiting() {
    while (!waiting_.empty()) {
      std::int64_t reply = protocol::kNoMoreSlices;
      if (!stopping_ && !queue_.empty()) {
        reply = static_cast<std::int64_t>(queue_.front());
        queue_.pop_front();
      } else if (!stopping_ && !upstream_done_) {
        return;  // a batch is on its way
      }
      const int m = waiting_.front();
      waiting_.pop_front();
      Member& member = members_[m];
      if (reply == protocol::kNoMoreSlices)
        member.told_done = true;
      else
        ++member.in_hand;
      MPI_Send(&reply, 1, MPI_INT64_T, m, protocol::kTagReply, comm_);
    }
  }

  void begin_stop(int sig) {
    stopping_ = sig != 0 ? sig : SIGTERM;
    const std::int64_t payload = stopping_;
    for (const auto& [rank, m] : members_)
      if (!m.stopped && (!m.told_done || m.in_hand > 0))
        MPI_Send(&payload, 1, MPI_INT64_T, rank, protocol::kTagStop, comm_);
    answer_waiting();
  }

  void hold(const protocol::ResultMsg& m) {
    if (held_.empty()) held_since_ = MPI_Wtime();
    held_.insert(held_.end(), m.begin(), m.end());
  }
  [[nodiscard]] std::size_t held_count() const { return held_.size() / std::tuple_size_v<protocol::ResultMsg>; }

  void flush() {
    if (held_.empty()) return;
    MPI_Send(held_.data(), static_cast<int>(held_.size()), MPI_INT64_T, 0, protocol::kTagResults, comm_);
    held_.clear();
  }

  const RunConfig& config_;
  MPI_Comm comm_;
  std::size_t group_;  // ranks in the group, the leader's own included
  std::map<int, Member> members_;
  std::deque<std::uint64_t> queue_;  // slices from rank 0 not yet handed out
  std::deque<int> waiting_;          // members whose request is unanswered
  std::vector<std::int64_t> held_;   // finished slices not yet sent to rank 0 (ResultMsgs back to back)
  double held_since_ = 0, last_beat_;
  bool batch_asked_ = false, upstream_done_ = false, lost_reported_ = false;
  int stopping_ = 0;
};

}  // namespace

WorkerTally run_leader(const RunConfig& config, const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team,
                       MPI_Comm comm, int rank, const std::vector<int>& members) {
  Leader leader(config, comm, members);
  const std::function<bool()> serve = [&] { return leader.serve(); };
  WorkerTally mine;
  while (const auto s = leader.next_own()) {
    const BlockRange r = plan.slice_blocks(*s);
    bool abandoned = false;
    ExactAccumulator acc = compute_slice(kernel, r, team, serve, abandoned);
    if (abandoned) break;
    if (maybe_inject_fault(rank, mine.slices + 1, serve)) acc.add(1e-9);
    if (leader.stopping()) break;  // dropped: recomputed on --resume
    leader.keep(*s, acc);
    mine.blocks += r.size();
    ++mine.slices;
  }
  leader.finish();
  return mine;
}

}  // namespace hs::engine
