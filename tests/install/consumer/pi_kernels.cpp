// Sums the Leibniz series for N terms (argv[1]) with hyperslice's kernels on every ISA this CPU runs,
// one block at a time into the exact accumulator, and prints "isa pi_hex" per ISA.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "kernels/exact_accumulator.hpp"
#include "kernels/series.hpp"

int main(int argc, char** argv) {
  const std::uint64_t terms = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  for (const auto isa : hs::kernels::all_isas()) {
    if (!hs::kernels::isa_supported(isa)) continue;
    const hs::kernels::SeriesKernel kernel(hs::kernels::Kernel::leibniz_grouped, terms, isa);
    hs::kernels::ExactAccumulator total;
    for (std::uint64_t b = 0; b < kernel.blocks(); ++b) kernel.sum_block(b, total);
    std::printf("%s %s\n", std::string(hs::kernels::name(isa)).c_str(),
                hs::kernels::hex_double(kernel.finish(total)).c_str());
  }
  return 0;
}
