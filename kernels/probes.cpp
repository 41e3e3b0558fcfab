// Probe dispatch by ISA, and each kernel's operations per term.
#include "kernels/probes.hpp"

#include <algorithm>

#include "kernels/isa_entry.hpp"

namespace hs::kernels {

Timed divider_probe(Isa isa, std::uint64_t iterations) { return detail::isa_entry(isa).divider_probe(iterations); }
Timed addmul_probe(Isa isa, std::uint64_t iterations) { return detail::isa_entry(isa).addmul_probe(iterations); }

double divisions_per_term(Kernel k) noexcept {
  return k == Kernel::leibniz_paired ? 0.5 : k == Kernel::leibniz_grouped ? 0.125 : 1.0;
}

// Counted by hand in the compensated hot loop: per item the term's own, plus the base offset, the group
// add and a quarter of Fast2Sum's four.
double addmul_per_term(Kernel k) noexcept {
  switch (k) {
    case Kernel::leibniz:
      return 3.0;  // 0 in the term + 3
    case Kernel::leibniz_paired:
      return 2.5;  // (2 + 3) per pair
    case Kernel::leibniz_grouped:
      return 23.0 / 8;  // (10 adds + 10 multiplies + 3) per octet
    case Kernel::midpoint:
      return 6.0;  // 3 in the term + 3
  }
  return 1.0;
}

Ceiling ceiling(Kernel k, double divider_rate, double addmul_rate) noexcept {
  const double by_divider = divider_rate / divisions_per_term(k);
  const double by_addmul = addmul_rate / addmul_per_term(k);
  return {std::min(by_divider, by_addmul), by_divider <= by_addmul};
}

}  // namespace hs::kernels
