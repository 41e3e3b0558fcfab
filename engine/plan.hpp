// Plan: terms -> canonical blocks -> slices. Slices are runs of whole blocks (sizes differ by at most
// one block), so how the work is sliced never changes which terms a block holds.
#pragma once

#include <cstdint>

namespace hs::engine {

struct BlockRange {
  std::uint64_t begin = 0, end = 0;  // [begin, end)
  [[nodiscard]] std::uint64_t size() const noexcept { return end - begin; }
};

class Plan {
 public:
  Plan(std::uint64_t terms, std::uint64_t slices);
  [[nodiscard]] std::uint64_t terms() const noexcept { return terms_; }
  [[nodiscard]] std::uint64_t blocks() const noexcept { return blocks_; }
  [[nodiscard]] std::uint64_t slices() const noexcept { return slices_; }
  // Blocks of slice s; empty when there are more slices than blocks.
  [[nodiscard]] BlockRange slice_blocks(std::uint64_t s) const noexcept;
  // Static schedule: the contiguous share of slices of rank r out of p.
  [[nodiscard]] BlockRange rank_slices(int rank, int ranks) const noexcept;
  [[nodiscard]] BlockRange rank_blocks(int rank, int ranks) const noexcept;

 private:
  std::uint64_t terms_, blocks_, slices_;
};

}  // namespace hs::engine
