// SeriesKernel: canonical blocks, the per-ISA lane loop, the scalar tail, the precise first terms,
// and the deposit of lane values into the exact accumulator.
#include "kernels/series.hpp"

#include <cstdio>
#include <stdexcept>

#include "kernels/lane_loop.hpp"

namespace hs::kernels {
namespace {

using detail::ChunkArgs;

detail::ChunkFn chunk_fn(Isa isa) {
  switch (isa) {
    case Isa::scalar:
      return detail::chunks_scalar;
#if HYPERSLICE_X86
    case Isa::sse2:
      return detail::chunks_sse2;
    case Isa::avx2:
      return detail::chunks_avx2;
    case Isa::avx512:
      return detail::chunks_avx512;
#else
    default:
      break;
#endif
  }
  throw std::invalid_argument("ISA not compiled into this binary");
}

// Dekker's exact product without fma: a*b = p + e exactly (Veltkamp splitting; no overflow here).
struct Split {
  double hi, lo;
};
Split split(double a) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  const double hi = c - (c - a);
  return {hi, a - hi};
}
double two_product_error(double a, double b, double p) {
  const Split x = split(a), y = split(b);
  return ((x.hi * y.hi - p) + x.hi * y.lo + x.lo * y.hi) + x.lo * y.lo;
}
// num/d = q + e with q = fl(num/d); the residual num - q*d is exact, e is it divided by d.
double division_residual(double num, double d, double q) {
  const double p = q * d;
  const double r = (num - p) - two_product_error(q, d, p);
  return r / d;
}

// Knuth's TwoSum into a lane (no magnitude condition): used by the tail and the precise terms.
inline void two_sum_into(double& s, double& c, double x) {
  const double sum = s + x;
  const double bp = sum - s;
  const double ap = sum - bp;
  c = c + ((s - ap) + (x - bp));
  s = sum;
}

double term_value(Kernel k, std::uint64_t item, int lane, double h) {
  const double base = detail::item_base(k, item);
  const double num = detail::lane_numerator(k, lane);
  switch (k) {
    case Kernel::leibniz:
      return num / base;
    case Kernel::leibniz_paired:
      return num / (base * (base + 2.0));
    case Kernel::midpoint: {
      const double x = h * base;
      return num / (1.0 + x * x);
    }
  }
  return 0.0;
}

}  // namespace

std::string_view name(Kernel k) noexcept {
  switch (k) {
    case Kernel::leibniz:
      return "leibniz";
    case Kernel::leibniz_paired:
      return "leibniz-paired";
    case Kernel::midpoint:
      return "midpoint";
  }
  return "?";
}
std::string_view name(Isa isa) noexcept {
  switch (isa) {
    case Isa::scalar:
      return "scalar";
    case Isa::sse2:
      return "sse2";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
      return "avx512";
  }
  return "?";
}
std::string_view name(Accumulation a) noexcept { return a == Accumulation::plain ? "plain" : "compensated"; }

std::optional<Kernel> parse_kernel(std::string_view s) noexcept {
  for (Kernel k : all_kernels())
    if (name(k) == s) return k;
  return std::nullopt;
}
std::optional<Isa> parse_isa(std::string_view s) noexcept {
  for (Isa i : all_isas())
    if (name(i) == s) return i;
  return std::nullopt;
}
const std::vector<Kernel>& all_kernels() noexcept {
  static const std::vector<Kernel> v{Kernel::leibniz, Kernel::leibniz_paired, Kernel::midpoint};
  return v;
}
const std::vector<Isa>& all_isas() noexcept {
#if HYPERSLICE_X86
  static const std::vector<Isa> v{Isa::scalar, Isa::sse2, Isa::avx2, Isa::avx512};
#else
  static const std::vector<Isa> v{Isa::scalar};
#endif
  return v;
}

SeriesKernel::SeriesKernel(Kernel kernel, std::uint64_t terms, Isa isa, Accumulation accumulation)
    : kernel_(kernel), terms_(terms), isa_(isa), accumulation_(accumulation), h_(1.0 / static_cast<double>(terms)) {
  if (terms == 0 || terms > kMaxTerms) throw std::invalid_argument("terms out of range");
  (void)chunk_fn(isa);
}

void SeriesKernel::block_lanes(std::uint64_t b, LaneState& st) const { lanes(b, st, chunk_fn(isa_)); }

void SeriesKernel::reference_block_lanes(std::uint64_t b, LaneState& st) const {
  lanes(b, st, detail::chunks_reference);
}

void SeriesKernel::lanes(std::uint64_t b, LaneState& st, detail::ChunkFn chunks) const {
  const std::uint64_t first = b * kBlockTerms;
  if (first >= terms_) throw std::out_of_range("block index past the last block");
  const std::uint64_t count = std::min(kBlockTerms, terms_ - first);
  const bool paired = kernel_ == Kernel::leibniz_paired;
  const std::uint64_t first_item = paired ? first / 2 : first;
  const std::uint64_t items = paired ? count / 2 : count;
  for (int j = 0; j < kLanes; ++j) st.sum[j] = st.comp[j] = 0.0;

  const bool precise =
      kernel_ != Kernel::midpoint && first < kPreciseTerms && accumulation_ == Accumulation::compensated;
  if (precise) {
    // Item by item, each division's rounding residual carried into the compensation.
    for (std::uint64_t i = first_item; i < first_item + items; ++i) {
      const int j = static_cast<int>(i % kLanes);
      const double base = detail::item_base(kernel_, i);
      const double d = paired ? base * (base + 2.0) : base;  // exact below kPreciseTerms
      const double num = detail::lane_numerator(kernel_, j);
      const double q = num / d;
      two_sum_into(st.sum[j], st.comp[j], q);
      st.comp[j] = st.comp[j] + division_residual(num, d, q);
    }
    return;
  }
  const ChunkArgs args{kernel_, accumulation_, h_, first_item, items};
  const std::uint64_t done = chunks(args, st);
  for (std::uint64_t i = first_item + done; i < first_item + items; ++i) {
    const int j = static_cast<int>(i % kLanes);
    const double x = term_value(kernel_, i, j, h_);
    if (accumulation_ == Accumulation::compensated) {
      two_sum_into(st.sum[j], st.comp[j], x);
    } else {
      st.sum[j] = st.sum[j] + x;
    }
  }
}

void SeriesKernel::sum_block(std::uint64_t b, ExactAccumulator& acc) const {
  LaneState st;
  block_lanes(b, st);
  for (int j = 0; j < kLanes; ++j) {
    acc.add(st.sum[j]);
    acc.add(st.comp[j]);
  }
  const std::uint64_t first = b * kBlockTerms;
  const std::uint64_t count = std::min(kBlockTerms, terms_ - first);
  if (kernel_ == Kernel::leibniz_paired && count % 2 == 1) {
    // N odd: the last term k = N-1 (even, so positive) has no partner.
    const double d = 2.0 * static_cast<double>(first + count - 1) + 1.0;
    const double q = 1.0 / d;
    acc.add(q);
    acc.add(division_residual(1.0, d, q));
  }
}

double SeriesKernel::finish(const ExactAccumulator& total) const {
  const double s = total.round();
  return kernel_ == Kernel::midpoint ? h_ * s : 4.0 * s;
}

std::string hex_double(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

}  // namespace hs::kernels
