// Series kernels over canonical blocks: the public face of the kernels layer.
//
// The reproducibility contract (docs/reproducibility.md): the global index grid is cut into blocks of
// kBlockTerms terms; inside a block, lane j (of 8) takes the items i ≡ j (mod 8) in increasing order,
// adds kGroup of them plainly, then adds that group to its sum with a compensated (Fast2Sum) step.
// Every ISA performs exactly these IEEE operations per lane, so the 16 lane values (sum and
// compensation) of a block are the same bits everywhere. They go into an ExactAccumulator, so nothing
// above the block depends on order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/exact_accumulator.hpp"
#include "kernels/isa_table.hpp"

namespace hs::kernels {

enum class Kernel { leibniz, leibniz_paired, leibniz_grouped, midpoint };
#define HYPERSLICE_ISA_ENUM_VALUE(isa, ...) isa,
enum class Isa { HYPERSLICE_ISA_TABLE(HYPERSLICE_ISA_ENUM_VALUE) };  // the rows of kernels/isa_table.hpp
#undef HYPERSLICE_ISA_ENUM_VALUE
enum class Accumulation { plain, compensated };

inline constexpr int kLanes = 8;
inline constexpr std::uint64_t kBlockTerms = std::uint64_t{1} << 16;
// Terms that take a plain add before the compensated one, per lane.
inline constexpr int kGroup = 4;
// Leibniz kernels: the first terms (the large ones) also carry the rounding residual of their
// division, computed exactly; past them a term's rounding error is below 2^-74.
inline constexpr std::uint64_t kPreciseTerms = std::uint64_t{1} << 20;
// 2k+1 must be an exact double for every k < N: N <= 2^52.
inline constexpr std::uint64_t kMaxTerms = std::uint64_t{1} << 52;

std::string_view name(Kernel k) noexcept;
std::string_view name(Isa isa) noexcept;
std::string_view name(Accumulation a) noexcept;
std::optional<Kernel> parse_kernel(std::string_view s) noexcept;
// Any ISA of the table, compiled in or not: a rank of another architecture in the same job names its own
// (an x86 rank reads "neon" from an aarch64 one). Not "auto".
std::optional<Isa> parse_isa(std::string_view s) noexcept;
const std::vector<Kernel>& all_kernels() noexcept;
const std::vector<Isa>& all_isas() noexcept;    // those compiled into this binary, least preferred first
const std::vector<Isa>& known_isas() noexcept;  // every row of kernels/isa_table.hpp, in its order

// What the CPU and OS can run (kernels/cpu_features.cpp: on x86 CPUID feature bits and XCR0, the
// XSAVE-enabled register state; on aarch64 the kernel's HWCAP), among the ISAs compiled in; the best is the last such row of the table.
bool isa_supported(Isa isa) noexcept;
Isa best_isa() noexcept;

// Lane values of one block: the kernel's "sum" and compensation per canonical lane.
struct LaneState {
  double sum[kLanes];
  double comp[kLanes];
};

namespace detail {
struct ChunkArgs;
// Runs the whole chunks (8 lanes x kGroup items) of a block's items; returns the items consumed.
using ChunkFn = std::uint64_t (*)(const ChunkArgs&, LaneState&);
}  // namespace detail

class SeriesKernel {
 public:
  SeriesKernel(Kernel kernel, std::uint64_t terms, Isa isa, Accumulation accumulation = Accumulation::compensated);

  [[nodiscard]] std::uint64_t blocks() const noexcept { return (terms_ + kBlockTerms - 1) / kBlockTerms; }
  // Sum canonical block b and deposit its exact lane values into acc.
  void sum_block(std::uint64_t b, ExactAccumulator& acc) const;
  // Lane values of block b (what sum_block deposits, minus the last block's leftover terms of the
  // paired and grouped kernels: fewer than one pair or octet).
  void block_lanes(std::uint64_t b, LaneState& out) const;
  // The same from the lane-by-lane reference code instead of the ISA's loop: the tests' oracle.
  void reference_block_lanes(std::uint64_t b, LaneState& out) const;
  // The kernel's estimate of pi from the exact sum of all blocks: one rounding, then an exact (x4)
  // or single-rounding (xh, midpoint) scale.
  [[nodiscard]] double finish(const ExactAccumulator& total) const;

  [[nodiscard]] Kernel kernel() const noexcept { return kernel_; }
  [[nodiscard]] Isa isa() const noexcept { return isa_; }
  [[nodiscard]] std::uint64_t terms() const noexcept { return terms_; }

 private:
  void lanes(std::uint64_t b, LaneState& out, detail::ChunkFn chunks) const;
  // Blocks below kPreciseTerms carry each division's exact residual (Leibniz kernels, compensated).
  [[nodiscard]] bool precise_block(std::uint64_t first_term) const noexcept;
  // The kernel a block's items are made of: leibniz for the grouped kernel's precise blocks.
  [[nodiscard]] Kernel block_kernel(std::uint64_t first_term) const noexcept;
  Kernel kernel_;
  std::uint64_t terms_;
  Isa isa_;
  Accumulation accumulation_;
  double h_;  // midpoint step 1/N
};

// C99 hex float ("0x1.921fb54442d18p+1"): the exact bits, for output and tests.
std::string hex_double(double x);

}  // namespace hs::kernels
