// One rank's measurement of its own core: every kernel x ISA the CPU has, in terms/s, against the two
// ceilings measured the same way at the same width (the divider and add/multiply probes). No MPI: the
// calling thread does all the work, where it is bound.
#pragma once

#include <vector>

#include "kernels/probes.hpp"
#include "kernels/series.hpp"
#include "measure/discipline.hpp"

namespace hs::measure {

struct ProbeRates {
  kernels::Isa isa;
  Sample divider;  // divisions/s
  Sample addmul;   // adds + multiplies/s
};

struct KernelRate {
  kernels::Kernel kernel;
  kernels::Isa isa;
  Sample terms;                // terms/s on one core (compensated, as `run` sums)
  kernels::Ceiling ceiling;    // from this rank's probes at this ISA
  [[nodiscard]] double fraction() const {
    return ceiling.terms_per_second > 0 ? terms.median / ceiling.terms_per_second : 0;
  }
};

struct NodeBench {
  std::vector<ProbeRates> probes;    // per ISA measured
  std::vector<KernelRate> results;   // per kernel x ISA
};

// Measures `kernels` x (`isas` that this CPU supports). Blocks far from the series' start are summed:
// the fast path that dominates any long run.
NodeBench bench_this_core(const std::vector<kernels::Kernel>& kernels, const std::vector<kernels::Isa>& isas,
                          const Discipline& d);

}  // namespace hs::measure
