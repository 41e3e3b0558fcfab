#include "perf/links.hpp"

#include <algorithm>
#include <limits>

namespace hs::perf {

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

}  // namespace hs::perf
