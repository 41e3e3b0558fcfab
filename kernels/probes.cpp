// Probe dispatch by ISA, and each kernel's operations per term.
#include "kernels/probes.hpp"

#include <algorithm>

#include "kernels/isa_entry.hpp"
#include "kernels/lane_loop.hpp"

namespace hs::kernels {

Timed divider_probe(Isa isa, std::uint64_t iterations) { return detail::isa_entry(isa).divider_probe(iterations); }
Timed addmul_probe(Isa isa, std::uint64_t iterations) { return detail::isa_entry(isa).addmul_probe(iterations); }
Timed mix_probe(Isa isa, Kernel k, std::uint64_t iterations) { return detail::isa_entry(isa).mix_probe(k, iterations); }

namespace {
double terms_per_chunk(Kernel k) noexcept {
  return static_cast<double>(kGroup) * static_cast<double>(detail::terms_per_item(k));
}
}  // namespace

double divisions_per_term(Kernel k) noexcept { return detail::chunk_ops(k).divisions / terms_per_chunk(k); }
// Counted in the compensated hot loop (detail::chunk_ops): per chunk of kGroup items the terms' own,
// the offset adds, the group sum, Fast2Sum's four and the base step; subtractions count as adds.
double addmul_per_term(Kernel k) noexcept {
  const detail::ChunkOps ops = detail::chunk_ops(k);
  return (ops.adds + ops.multiplies) / terms_per_chunk(k);
}

Ceiling ceiling(Kernel k, double divider_rate, double addmul_rate) noexcept {
  const double by_divider = divider_rate / divisions_per_term(k);
  const double by_addmul = addmul_rate / addmul_per_term(k);
  return {std::min(by_divider, by_addmul), by_divider <= by_addmul};
}

}  // namespace hs::kernels
