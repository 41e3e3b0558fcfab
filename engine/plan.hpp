// Plan: terms -> canonical blocks -> slices. Slices are runs of whole blocks (sizes differ by at most
// one block), so how the work is sliced never changes which terms a block holds. With more slices than
// blocks some slices are empty: they contribute exactly zero, so no rank is ever handed one.
#pragma once

#include <cstdint>

namespace hs::engine {

// [begin, end) of block or slice indices.
struct IndexRange {
  std::uint64_t begin = 0, end = 0;
  [[nodiscard]] std::uint64_t size() const noexcept { return end - begin; }
  bool operator==(const IndexRange&) const = default;
};
using BlockRange = IndexRange;
using SliceRange = IndexRange;

class Plan {
 public:
  Plan(std::uint64_t terms, std::uint64_t slices);
  [[nodiscard]] std::uint64_t terms() const noexcept { return terms_; }
  [[nodiscard]] std::uint64_t blocks() const noexcept { return blocks_; }
  [[nodiscard]] std::uint64_t slices() const noexcept { return slices_; }
  // Blocks of slice s; empty when there are more slices than blocks.
  [[nodiscard]] BlockRange slice_blocks(std::uint64_t s) const noexcept;
  // The slice holding block b.
  [[nodiscard]] std::uint64_t slice_of_block(std::uint64_t b) const noexcept;
  // The first non-empty slice >= s, or slices() if none.
  [[nodiscard]] std::uint64_t next_nonempty(std::uint64_t s) const noexcept;
  // How many slices of [r.begin, r.end) are non-empty, in O(1).
  [[nodiscard]] std::uint64_t nonempty_in(SliceRange r) const noexcept;
  // Non-empty slice s with the empty slices that follow it (up to the next non-empty one): what a
  // finished slice marks as done, so the done set stays a few ranges however many slices are empty.
  [[nodiscard]] SliceRange done_with(std::uint64_t s) const noexcept;
  // Terms held by the slices [r.begin, r.end), in O(1) (only the last block is short).
  [[nodiscard]] std::uint64_t terms_in(SliceRange r) const noexcept;
  // The empty slices before the first non-empty one.
  [[nodiscard]] SliceRange leading_empty() const noexcept { return {0, slice_of_block(0)}; }

 private:
  std::uint64_t terms_, blocks_, slices_;
};

}  // namespace hs::engine
