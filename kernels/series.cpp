// SeriesKernel: canonical blocks, the per-ISA lane loop, the scalar tail, the precise first terms,
// and the deposit of lane values into the exact accumulator.
#include "kernels/series.hpp"

#include <cstdio>
#include <stdexcept>

#include "kernels/isa_compiled.hpp"
#include "kernels/isa_entry.hpp"
#include "kernels/lane_loop.hpp"

namespace hs::kernels {
namespace {

using detail::ChunkArgs;

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

}  // namespace

std::string_view name(Kernel k) noexcept {
  switch (k) {
    case Kernel::leibniz:
      return "leibniz";
    case Kernel::leibniz_paired:
      return "leibniz-paired";
    case Kernel::leibniz_grouped:
      return "leibniz-grouped";
    case Kernel::midpoint:
      return "midpoint";
  }
  return "?";
}
std::string_view name(Isa isa) noexcept {
#define HYPERSLICE_ISA_NAME(row, ...) \
  case Isa::row:                      \
    return #row;
  switch (isa) { HYPERSLICE_ISA_TABLE(HYPERSLICE_ISA_NAME) }
#undef HYPERSLICE_ISA_NAME
  return "?";
}
std::string_view name(Accumulation a) noexcept { return a == Accumulation::plain ? "plain" : "compensated"; }

std::optional<Kernel> parse_kernel(std::string_view s) noexcept {
  for (Kernel k : all_kernels())
    if (name(k) == s) return k;
  return std::nullopt;
}
std::optional<Isa> parse_isa(std::string_view s) noexcept {
  for (Isa i : known_isas())
    if (name(i) == s) return i;
  return std::nullopt;
}
const std::vector<Kernel>& all_kernels() noexcept {
  static const std::vector<Kernel> v{Kernel::leibniz, Kernel::leibniz_paired, Kernel::leibniz_grouped,
                                     Kernel::midpoint};
  return v;
}
const std::vector<Isa>& known_isas() noexcept {
#define HYPERSLICE_ISA_ROW(row, ...) Isa::row,
  static const std::vector<Isa> v{HYPERSLICE_ISA_TABLE(HYPERSLICE_ISA_ROW)};
#undef HYPERSLICE_ISA_ROW
  return v;
}
const std::vector<Isa>& all_isas() noexcept {
#define HYPERSLICE_ISA_VALUE(row) Isa::row,
  static const std::vector<Isa> v{HYPERSLICE_COMPILED_ISAS(HYPERSLICE_ISA_VALUE)};
#undef HYPERSLICE_ISA_VALUE
  return v;
}

namespace detail {
const IsaEntry& isa_entry(Isa isa) {
  switch (isa) {
#define HYPERSLICE_ISA_ENTRY(row) \
  case Isa::row:                  \
    return isa_entry_##row;
    HYPERSLICE_COMPILED_ISAS(HYPERSLICE_ISA_ENTRY)
#undef HYPERSLICE_ISA_ENTRY
    default:
      break;
  }
  throw std::invalid_argument("ISA not compiled into this binary");
}
}  // namespace detail

SeriesKernel::SeriesKernel(Kernel kernel, std::uint64_t terms, Isa isa, Accumulation accumulation)
    : kernel_(kernel), terms_(terms), isa_(isa), accumulation_(accumulation), h_(1.0 / static_cast<double>(terms)) {
  if (terms == 0 || terms > kMaxTerms) throw std::invalid_argument("terms out of range");
  (void)detail::isa_entry(isa);
}

bool SeriesKernel::precise_block(std::uint64_t first) const noexcept {
  return kernel_ != Kernel::midpoint && first < kPreciseTerms && accumulation_ == Accumulation::compensated;
}

Kernel SeriesKernel::block_kernel(std::uint64_t first) const noexcept {
  // The precise first terms of the grouped kernel are leibniz's, term by term: an octet's extra
  // roundings are negligible only once its terms are small (docs/reproducibility.md).
  return kernel_ == Kernel::leibniz_grouped && precise_block(first) ? Kernel::leibniz : kernel_;
}

void SeriesKernel::block_lanes(std::uint64_t b, LaneState& st) const { lanes(b, st, detail::isa_entry(isa_).chunks); }

void SeriesKernel::reference_block_lanes(std::uint64_t b, LaneState& st) const {
  lanes(b, st, detail::chunks_reference);
}

void SeriesKernel::lanes(std::uint64_t b, LaneState& st, detail::ChunkFn chunks) const {
  const std::uint64_t first = b * kBlockTerms;
  if (first >= terms_) throw std::out_of_range("block index past the last block");
  const std::uint64_t count = std::min(kBlockTerms, terms_ - first);
  for (int j = 0; j < kLanes; ++j) st.sum[j] = st.comp[j] = 0.0;

  const bool precise = precise_block(first);
  const Kernel k = block_kernel(first);
  const std::uint64_t per_item = detail::terms_per_item(k);
  const std::uint64_t first_item = first / per_item;
  const std::uint64_t items = count / per_item;
  if (precise) {
    // Item by item, each division's rounding residual carried into the compensation.
    for (std::uint64_t i = first_item; i < first_item + items; ++i) {
      const int j = static_cast<int>(i % kLanes);
      const double base = detail::item_base(k, i);
      const double d = k == Kernel::leibniz_paired ? base * (base + 2.0) : base;  // exact below kPreciseTerms
      const double num = detail::lane_numerator(k, j);
      const double q = num / d;
      two_sum_into(st.sum[j], st.comp[j], q);
      st.comp[j] = st.comp[j] + division_residual(num, d, q);
    }
    return;
  }
  const ChunkArgs args{k, accumulation_, h_, first_item, items};
  const std::uint64_t done = chunks(args, st);
  for (std::uint64_t i = first_item + done; i < first_item + items; ++i) {
    const int j = static_cast<int>(i % kLanes);
    const double x = detail::term_at(k, i, j, h_);
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
  // The last block's terms past its whole pairs or octets (N not a multiple of 2 or 8): one by one,
  // each with the exact residual of its division.
  const std::uint64_t first = b * kBlockTerms;
  const std::uint64_t count = std::min(kBlockTerms, terms_ - first);
  const std::uint64_t per_item = detail::terms_per_item(block_kernel(first));
  for (std::uint64_t t = first + count / per_item * per_item; t < first + count; ++t) {
    const double d = 2.0 * static_cast<double>(t) + 1.0;
    const double num = t % 2 == 0 ? 1.0 : -1.0;
    const double q = num / d;
    acc.add(q);
    acc.add(division_residual(num, d, q));
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
