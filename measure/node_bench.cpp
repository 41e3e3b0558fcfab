#include "measure/node_bench.hpp"

#include <chrono>

#include "kernels/exact_accumulator.hpp"

namespace hs::measure {

NodeBench bench_this_core(const std::vector<kernels::Kernel>& kernel_list, const std::vector<kernels::Isa>& isas,
                          const Discipline& d) {
  using namespace hs::kernels;
  NodeBench out;
  for (const Isa isa : isas) {
    if (!isa_supported(isa)) continue;
    ProbeRates p{isa, measure([isa](std::uint64_t n) { return divider_probe(isa, n * 1024); }, d),
                 measure([isa](std::uint64_t n) { return addmul_probe(isa, n * 1024); }, d)};
    out.probes.push_back(p);
    for (const Kernel k : kernel_list) {
      constexpr std::uint64_t kTerms = std::uint64_t{1} << 46;
      const SeriesKernel sk(k, kTerms, isa);
      ExactAccumulator total;
      std::uint64_t block = (std::uint64_t{1} << 30) / kBlockTerms;  // past the precise first 2^20 terms
      const Sample terms = measure(
          [&](std::uint64_t n) {
            const auto t0 = std::chrono::steady_clock::now();
            for (std::uint64_t i = 0; i < n; ++i) sk.sum_block(block++ % sk.blocks(), total);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return Timed{static_cast<double>(n * kBlockTerms), s};
          },
          d);
      out.results.push_back({k, isa, terms, ceiling(k, p.divider.median, p.addmul.median)});
    }
  }
  return out;
}

}  // namespace hs::measure
