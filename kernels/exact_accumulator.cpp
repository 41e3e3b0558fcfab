// ExactAccumulator: deposits, carries and the single correct rounding.
#include "kernels/exact_accumulator.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace hs::kernels {
namespace {
constexpr std::int64_t kDigitMask = (std::int64_t{1} << ExactAccumulator::kDigitBits) - 1;
constexpr std::uint32_t kNormalizeEvery = 1u << 29;
}  // namespace

void ExactAccumulator::add(double x) noexcept {
  if (!std::isfinite(x)) {
    nonfinite_ = true;
    return;
  }
  if (x == 0.0) return;
  add_finite(x);
}

void ExactAccumulator::add_finite(double x) noexcept {
  std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  const bool negative = (bits >> 63) != 0;
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  int exponent;  // x = mantissa * 2^exponent, mantissa an integer
  if (biased == 0) {
    exponent = -1074;
  } else {
    mantissa |= std::uint64_t{1} << 52;
    exponent = biased - 1075;
  }
  const int position = exponent - kLsbExponent;  // >= 14
  const int limb = position / kDigitBits;
  const int shift = position % kDigitBits;
  const unsigned __int128 v = static_cast<unsigned __int128>(mantissa) << shift;  // < 2^85
  const auto d0 = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) & 0xffffffffu);
  const auto d1 = static_cast<std::int64_t>(static_cast<std::uint64_t>(v >> 32) & 0xffffffffu);
  const auto d2 = static_cast<std::int64_t>(static_cast<std::uint64_t>(v >> 64));
  if (negative) {
    limbs_[limb] -= d0;
    limbs_[limb + 1] -= d1;
    limbs_[limb + 2] -= d2;
  } else {
    limbs_[limb] += d0;
    limbs_[limb + 1] += d1;
    limbs_[limb + 2] += d2;
  }
  if (++pending_ >= kNormalizeEvery) normalize();
}

void ExactAccumulator::normalize() noexcept {
  std::int64_t carry = 0;
  for (int i = 0; i < kLimbs - 1; ++i) {
    const std::int64_t v = limbs_[i] + carry;
    limbs_[i] = v & kDigitMask;
    carry = v >> kDigitBits;  // arithmetic shift: floor division by 2^32
  }
  limbs_[kLimbs - 1] += carry;
  pending_ = 0;
}

void ExactAccumulator::merge(const ExactAccumulator& other) noexcept {
  ExactAccumulator o = other;
  o.normalize();
  normalize();
  for (int i = 0; i < kLimbs; ++i) limbs_[i] += o.limbs_[i];
  normalize();
  nonfinite_ = nonfinite_ || other.nonfinite_;
}

ExactAccumulator::Limbs ExactAccumulator::limbs() const noexcept {
  ExactAccumulator copy = *this;
  copy.normalize();
  return copy.limbs_;
}

ExactAccumulator ExactAccumulator::from_limbs(const Limbs& limbs, bool nonfinite) noexcept {
  ExactAccumulator acc;
  acc.limbs_ = limbs;
  acc.nonfinite_ = nonfinite;
  acc.normalize();
  return acc;
}

bool ExactAccumulator::is_zero() const noexcept {
  const Limbs l = limbs();
  for (auto v : l)
    if (v != 0) return false;
  return true;
}

double ExactAccumulator::round() const noexcept {
  if (nonfinite_) return std::nan("");
  ExactAccumulator mag = *this;
  mag.normalize();
  bool negative = mag.limbs_[kLimbs - 1] < 0;
  if (negative) {
    for (auto& v : mag.limbs_) v = -v;
    mag.normalize();
  }
  int top = kLimbs - 1;
  while (top >= 0 && mag.limbs_[top] == 0) --top;
  if (top < 0) return 0.0;
  if (mag.limbs_[top] > kDigitMask) return negative ? -HUGE_VAL : HUGE_VAL;  // beyond any double

  // The top three limbs exactly, plus a sticky bit for everything below them.
  auto limb = [&](int i) -> unsigned __int128 {
    return i >= 0 ? static_cast<unsigned __int128>(static_cast<std::uint64_t>(mag.limbs_[i])) : 0;
  };
  const unsigned __int128 v = (limb(top) << 64) | (limb(top - 1) << 32) | limb(top - 2);
  bool sticky = false;
  for (int i = 0; i <= top - 3; ++i) sticky = sticky || mag.limbs_[i] != 0;
  const int base = kLsbExponent + kDigitBits * (top - 2);

  const auto hi = static_cast<std::uint64_t>(v >> 64);
  const int bits = hi != 0 ? 128 - std::countl_zero(hi) : 64 - std::countl_zero(static_cast<std::uint64_t>(v));
  const int shift = bits - 53;
  std::uint64_t q;
  int exponent;
  if (shift <= 0) {  // fits in 53 bits; nothing below (top < 2), so exact
    q = static_cast<std::uint64_t>(v);
    exponent = base;
  } else {
    q = static_cast<std::uint64_t>(v >> shift);
    const unsigned __int128 rem = v - (static_cast<unsigned __int128>(q) << shift);
    const unsigned __int128 half = static_cast<unsigned __int128>(1) << (shift - 1);
    if (rem > half || (rem == half && (sticky || (q & 1u)))) ++q;  // nearest, ties to even
    exponent = base + shift;
  }
  // q <= 2^53 is exact in a double; ldexp rounds again only in the subnormal range, which sums of
  // this program's kernels never reach.
  const double r = std::ldexp(static_cast<double>(q), exponent);
  return negative ? -r : r;
}

}  // namespace hs::kernels
