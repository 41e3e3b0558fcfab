// The worker loops (compute_slice: engine/compute.hpp). A worker's master thread, between blocks, sends heartbeats and
// looks for a signal or rank 0's STOP; everything it sends follows engine/protocol.hpp.
#include "engine/worker.hpp"

#include "engine/compute.hpp"
#include "engine/faults.hpp"
#include "engine/protocol.hpp"
#include "engine/signals.hpp"

namespace hs::engine {

using kernels::ExactAccumulator;

namespace {

// A worker's master thread between blocks: heartbeats to its boss (rank 0, or its group's leader), and
// whether to stop (its own signal, or the boss's STOP after an interrupt). Returns true when the worker
// must stop.
class WorkerTick {
 public:
  WorkerTick(MPI_Comm comm, int boss) : comm_(comm), boss_(boss), last_beat_(MPI_Wtime()) {}
  bool operator()() {
    const double now = MPI_Wtime();
    if (now - last_check_ >= protocol::kStopCheckSeconds) {
      last_check_ = now;
      if (pending_signal() != 0 && !signal_) signal_ = pending_signal();
      int flag = 0;
      MPI_Iprobe(boss_, protocol::kTagStop, comm_, &flag, MPI_STATUS_IGNORE);
      if (flag) {
        std::int64_t sig = 0;
        MPI_Recv(&sig, 1, MPI_INT64_T, boss_, protocol::kTagStop, comm_, MPI_STATUS_IGNORE);
        told_ = static_cast<int>(sig);
      }
    }
    if (now - last_beat_ >= protocol::kHeartbeatSeconds) {
      last_beat_ = now;
      const std::int64_t beat = 0;
      MPI_Send(&beat, 1, MPI_INT64_T, boss_, protocol::kTagHeartbeat, comm_);
    }
    return stop();
  }
  [[nodiscard]] bool stop() const { return signal_ != 0 || told_ != 0; }
  // Tells the boss this worker stopped.
  void report_stopped() {
    const std::int64_t sig = signal_ ? signal_ : told_;
    MPI_Send(&sig, 1, MPI_INT64_T, boss_, protocol::kTagStopped, comm_);
  }

 private:
  MPI_Comm comm_;
  int boss_;
  double last_beat_, last_check_ = 0;
  int signal_ = 0, told_ = 0;
};

void send_result(MPI_Comm comm, int boss, std::uint64_t slice, const ExactAccumulator& acc) {
  const protocol::ResultMsg m = protocol::pack(slice, acc);
  MPI_Send(m.data(), static_cast<int>(m.size()), MPI_INT64_T, boss, protocol::kTagResult, comm);
}

// After computing a slice, before reporting it: the fault hook (a test may hold the rank here), then
// whether the run is stopping -- in which case the slice is dropped (recomputed on --resume).
bool keep_after_fault_hook(int rank, std::uint64_t computed, WorkerTick& tick, ExactAccumulator& acc) {
  if (maybe_inject_fault(rank, computed, [&] { return tick(); })) acc.add(1e-9);
  return !tick.stop();
}

}  // namespace

// Worker, dynamic and hierarchical schedules: one request always in flight, so the next index is
// usually waiting.
WorkerTally run_dynamic_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                               int rank, int boss) {
  WorkerTick tick(comm, boss);
  maybe_inject_fault(rank, 0, [&] { return tick(); });  // HYPERSLICE_FAULT=KIND@RANK:0
  std::int64_t ask = 0, current = 0, next = 0;
  MPI_Send(&ask, 1, MPI_INT64_T, boss, protocol::kTagRequest, comm);
  MPI_Recv(&current, 1, MPI_INT64_T, boss, protocol::kTagReply, comm, MPI_STATUS_IGNORE);
  WorkerTally mine;
  while (current != protocol::kNoMoreSlices) {
    MPI_Request reqs[2];
    MPI_Isend(&ask, 1, MPI_INT64_T, boss, protocol::kTagRequest, comm, &reqs[0]);
    MPI_Irecv(&next, 1, MPI_INT64_T, boss, protocol::kTagReply, comm, &reqs[1]);
    const BlockRange r = plan.slice_blocks(static_cast<std::uint64_t>(current));
    bool abandoned = false;
    ExactAccumulator acc = compute_slice(kernel, r, team, [&] { return tick(); }, abandoned);
    if (!abandoned && keep_after_fault_hook(rank, mine.slices + 1, tick, acc)) {
      send_result(comm, boss, static_cast<std::uint64_t>(current), acc);
      mine.blocks += r.size();
      ++mine.slices;
    }
    MPI_Waitall(2, reqs, MPI_STATUSES_IGNORE);  // the boss answers every request, with -1 once stopping
    current = next;
    if (tick.stop()) {
      if (current != protocol::kNoMoreSlices) tick.report_stopped();
      break;
    }
  }
  return mine;
}

WorkerTally run_static_worker(const kernels::SeriesKernel& kernel, const Plan& plan, const Team& team, MPI_Comm comm,
                              int rank, NonemptySlices share) {
  WorkerTick tick(comm, 0);
  maybe_inject_fault(rank, 0, [&] { return tick(); });  // HYPERSLICE_FAULT=KIND@RANK:0
  WorkerTally mine;
  while (const auto s = share.next()) {
    const BlockRange r = plan.slice_blocks(*s);
    bool abandoned = false;
    ExactAccumulator acc = compute_slice(kernel, r, team, [&] { return tick(); }, abandoned);
    if (abandoned || !keep_after_fault_hook(rank, mine.slices + 1, tick, acc)) {
      tick.report_stopped();
      break;
    }
    send_result(comm, 0, *s, acc);
    mine.blocks += r.size();
    ++mine.slices;
  }
  return mine;
}

}  // namespace hs::engine
