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
  std::vector<char> out(kPatternBytes), in(kPatternBytes);
  std::vector<PairLink> result;
  constexpr int kTag = 78, kBatches = 3;
  // One step: `n` exchanges of `bytes` with both neighbours at once, each batch (one untimed first)
  // started together by a barrier so that every pair is loaded at the same time; seconds per exchange
  // of every timed batch.
  auto step = [&](int to, int from, std::size_t bytes, int n) {
    std::vector<double> batches;
    for (int batch = -1; batch < kBatches; ++batch) {
      MPI_Barrier(comm);
      const double t0 = MPI_Wtime();
      for (int i = 0; i < n; ++i) {
        MPI_Request req[2];
        MPI_Irecv(in.data(), static_cast<int>(bytes), MPI_CHAR, from, kTag, comm, &req[0]);
        MPI_Isend(out.data(), static_cast<int>(bytes), MPI_CHAR, to, kTag, comm, &req[1]);
        MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
      }
      if (batch >= 0) batches.push_back((MPI_Wtime() - t0) / n);
    }
    return batches;
  };
  const auto per_second = [](double seconds) { return seconds > 0 ? static_cast<double>(kPatternBytes) / seconds : 0; };
  for (const int k : pattern_steps(size, max_steps)) {
    const int to = (rank + k) % size, from = (rank - k + size) % size;
    PairLink l{to, 0, 0, step(to, from, 8, 100), {}};
    for (const double s : step(to, from, kPatternBytes, 8)) l.bandwidth_batches.push_back(per_second(s));
    l.latency = *std::min_element(l.latency_batches.begin(), l.latency_batches.end());  // the best batch
    l.bandwidth = *std::max_element(l.bandwidth_batches.begin(), l.bandwidth_batches.end());
    result.push_back(std::move(l));
  }
  return result;
}

}  // namespace hs::measure
