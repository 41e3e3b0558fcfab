// ExactAccumulator: a fixed-point superaccumulator that holds any sum of doubles exactly.
// Integer addition is associative, so merge order (threads, ranks, schedules) cannot change the bits;
// the value is rounded to double once, at the end. Design after ExBLAS (Collange et al. 2015).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace hs::kernels {

class ExactAccumulator {
 public:
  // 32-bit digits in int64 limbs: a deposit touches at most three limbs without carrying, and a limb
  // can absorb 2^30 deposits before it must be normalised.
  static constexpr int kLimbs = 72;
  static constexpr int kDigitBits = 32;
  static constexpr int kLsbExponent = -1088;  // weight of limb 0's lowest bit; below the smallest subnormal
  using Limbs = std::array<std::int64_t, kLimbs>;

  void add(double x) noexcept;
  void merge(const ExactAccumulator& other) noexcept;
  // Carries propagated: limbs 0..kLimbs-2 in [0, 2^32), the top limb signed.
  void normalize() noexcept;
  // The exact value rounded to the nearest double, ties to even (NaN if a non-finite value was added).
  [[nodiscard]] double round() const noexcept;

  // Normalised limbs, for MPI_SUM reductions and checkpoints.
  [[nodiscard]] Limbs limbs() const noexcept;
  static ExactAccumulator from_limbs(const Limbs& limbs, bool nonfinite = false) noexcept;
  [[nodiscard]] bool nonfinite() const noexcept { return nonfinite_; }
  [[nodiscard]] bool is_zero() const noexcept;

 private:
  void add_finite(double x) noexcept;
  Limbs limbs_{};
  std::uint32_t pending_ = 0;  // deposits since the last normalisation
  bool nonfinite_ = false;
};

}  // namespace hs::kernels
