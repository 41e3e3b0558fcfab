#include "measure/links.hpp"

#include <algorithm>
#include <limits>

namespace hs::measure {

const std::vector<std::size_t>& link_sizes() {
  static const std::vector<std::size_t> sizes = {8, 1024, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024};
  return sizes;
}

std::vector<Link> bench_links(MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::vector<char> buffer(link_sizes().back());
  std::vector<Link> out;
  constexpr int kTag = 77, kBatches = 3;
  for (int peer = 1; peer < size; ++peer) {
    if (rank != 0 && rank != peer) continue;  // one pair at a time: nothing else on the wire
    Link link{peer, {}};
    for (const std::size_t bytes : link_sizes()) {
      // Enough round trips to see past the timer (about 8 MiB moved per batch, 2 to 1000 round trips),
      // two untimed first; the best batch counts, as latency tests take the least disturbed.
      const int trips = static_cast<int>(std::clamp<std::size_t>((8u << 20) / bytes, 2, 1000));
      const int count = static_cast<int>(bytes);
      double best = std::numeric_limits<double>::infinity();
      for (int batch = -1; batch < kBatches; ++batch) {
        const int n = batch < 0 ? 2 : trips;
        const double t0 = MPI_Wtime();
        for (int i = 0; i < n; ++i) {
          if (rank == 0) {
            MPI_Send(buffer.data(), count, MPI_CHAR, peer, kTag, comm);
            MPI_Recv(buffer.data(), count, MPI_CHAR, peer, kTag, comm, MPI_STATUS_IGNORE);
          } else {
            MPI_Recv(buffer.data(), count, MPI_CHAR, 0, kTag, comm, MPI_STATUS_IGNORE);
            MPI_Send(buffer.data(), count, MPI_CHAR, 0, kTag, comm);
          }
        }
        if (batch >= 0) best = std::min(best, (MPI_Wtime() - t0) / n);
      }
      const double one_way = best / 2;
      link.points.push_back({bytes, one_way, one_way > 0 ? static_cast<double>(bytes) / one_way : 0});
    }
    if (rank == 0) out.push_back(std::move(link));
  }
  return out;
}

std::vector<int> pattern_steps(int size, int max_steps) {
  std::vector<int> steps;
  const int all = size - 1;
  if (all <= max_steps) {
    for (int k = 1; k <= all; ++k) steps.push_back(k);
  } else {
    for (int j = 0; j < max_steps; ++j) steps.push_back(1 + static_cast<int>((static_cast<long long>(j) * all) / max_steps));
  }
  return steps;
}

std::vector<PairLink> bench_link_pattern(MPI_Comm comm, int max_steps) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::vector<char> out(kPatternBytes), in(8);
  std::vector<PairLink> result;
  // Timed batches per step: 3 for latency; 8 for bandwidth, whose batches (8 MiB each way, ~10 ms at
  // 1 GB/s) are short enough to take many, and whose best of 3 still moved by 15-20% run to run where
  // ranks share cores (the virtual cluster's 3 nodes on 2 cores).
  constexpr int kTag = 78, kBatches = 3, kRateBatches = 8;
  // Latency: `n` exchanges of 8 bytes with both neighbours at once, each batch (one untimed first)
  // started together by a barrier so that every pair is loaded at the same time; seconds per exchange
  // of every timed batch.
  auto exchange_latency = [&](int to, int from, int n) {
    constexpr int bytes = 8;
    std::vector<double> batches;
    for (int batch = -1; batch < kBatches; ++batch) {
      MPI_Barrier(comm);
      const double t0 = MPI_Wtime();
      for (int i = 0; i < n; ++i) {
        MPI_Request req[2];
        MPI_Irecv(in.data(), bytes, MPI_CHAR, from, kTag, comm, &req[0]);
        MPI_Isend(out.data(), bytes, MPI_CHAR, to, kTag, comm, &req[1]);
        MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
      }
      if (batch >= 0) batches.push_back((MPI_Wtime() - t0) / n);
    }
    return batches;
  };
  // Bandwidth: every message of a batch posted at once both ways, and the clock read when the last one
  // from `from` is in. Waiting for each receive before the next send (as exchange_latency does) would
  // pace this rank's sends to `to` by its slowest incoming link, and one slow cable would slow every link
  // of the ring (seen on the virtual cluster: one link shaped to 20 Mbit/s, all six host pairs read 0.00
  // GB/s).
  std::vector<char> inbox(kPatternBytes * kPatternMessages);
  auto receive_rate = [&](int to, int from) {
    constexpr auto n = static_cast<std::size_t>(kPatternMessages);
    constexpr double batch_bytes = static_cast<double>(kPatternBytes * n);
    const int count = static_cast<int>(kPatternBytes);
    std::vector<double> batches;
    std::vector<MPI_Request> recvs(n), sends(n);
    for (int batch = -1; batch < kRateBatches; ++batch) {
      MPI_Barrier(comm);
      const double t0 = MPI_Wtime();
      for (std::size_t i = 0; i < n; ++i)
        MPI_Irecv(inbox.data() + i * kPatternBytes, count, MPI_CHAR, from, kTag + 1, comm, &recvs[i]);
      for (std::size_t i = 0; i < n; ++i)  // one send buffer for all: MPI-3 lets sends share it
        MPI_Isend(out.data(), count, MPI_CHAR, to, kTag + 1, comm, &sends[i]);
      MPI_Waitall(kPatternMessages, recvs.data(), MPI_STATUSES_IGNORE);  // progresses the sends too
      const double seconds = MPI_Wtime() - t0;
      MPI_Waitall(kPatternMessages, sends.data(), MPI_STATUSES_IGNORE);
      if (batch >= 0) batches.push_back(seconds > 0 ? batch_bytes / seconds : 0);
    }
    return batches;
  };
  for (const int k : pattern_steps(size, max_steps)) {
    const int to = (rank + k) % size, from = (rank - k + size) % size;
    PairLink l{to, from, 0, 0, exchange_latency(to, from, 100), receive_rate(to, from)};
    l.latency = *std::min_element(l.latency_batches.begin(), l.latency_batches.end());  // the best batch
    l.bandwidth = *std::max_element(l.bandwidth_batches.begin(), l.bandwidth_batches.end());
    result.push_back(std::move(l));
  }
  return result;
}

}  // namespace hs::measure
