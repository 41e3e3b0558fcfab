// Simulated compute for SimGrid's SMPI (the smpi preset; docs/simulation.md). Under SMPI every rank is
// an actor of one simulation process and time is SimGrid's: MPI_Wtime and the messages of the real
// coordinator/worker protocol run as they are, while a slice's blocks are charged as simulated time at
// HYPERSLICE_SIM_RATE terms per second per thread (what `hyperslice bench` measures on the cluster's
// cores) instead of being summed. Ticks keep close to their real rhythm: rank 0, which serves the other
// ranks between its own blocks, at least every 100 us of its compute; a worker once per heartbeat interval.
#include <smpi/smpi.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "engine/compute.hpp"
#include "engine/protocol.hpp"

namespace hs::engine {
namespace {

constexpr double kServeEverySeconds = 1e-4;

double rate_per_thread() {
  static const double rate = [] {
    const char* text = std::getenv("HYPERSLICE_SIM_RATE");
    const double r = text ? std::strtod(text, nullptr) : 0;
    if (!(r > 0)) throw std::runtime_error("HYPERSLICE_SIM_RATE (terms per second per thread) is not set");
    return r;
  }();
  return rate;
}

}  // namespace

kernels::ExactAccumulator compute_slice(const kernels::SeriesKernel& kernel, BlockRange r, const Team& team,
                                          const std::function<bool()>& tick, bool& abandoned) {
  abandoned = false;
  const std::uint64_t first = r.begin * kernels::kBlockTerms;
  const std::uint64_t last = std::min(r.end * kernels::kBlockTerms, kernel.terms());
  const double terms_per_second = rate_per_thread() * team.threads;
  // Terms per charge: rank 0 serves after every block for real (a few microseconds of work on fast
  // cores); simulated, it serves at least every 100 us of its compute -- finer costs one SimGrid event per
  // block, minutes of real time per 10^13 terms -- and a worker ticks once per heartbeat interval.
  const double serve_every = kServeEverySeconds;
  const auto chunk = static_cast<std::uint64_t>(std::max<double>(
      kernels::kBlockTerms, terms_per_second * (team.serves ? serve_every : protocol::kHeartbeatSeconds)));
  for (std::uint64_t t = first; t < last;) {
    const std::uint64_t n = std::min(chunk, last - t);
    smpi_execute_benched(static_cast<double>(n) / terms_per_second);
    t += n;
    if (tick()) {
      abandoned = true;
      break;
    }
  }
  return {};
}

bool sums_for_real() noexcept { return false; }

topology::Machine run_machine() {
  const char* description = std::getenv("HYPERSLICE_SIM_TOPOLOGY");
  return topology::Machine::synthetic(description ? description : "pack:1 core:1 pu:1", "HYPERSLICE_SIM_TOPOLOGY");
}

}  // namespace hs::engine
