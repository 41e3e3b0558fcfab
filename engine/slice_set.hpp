// SliceSet: a set of slice indices kept as disjoint ranges. Rank 0's record of finished slices, a
// checkpoint's "done" list and the slices still to do all use it, so memory follows the number of
// gaps (about one per rank in flight), never the number of slices.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "engine/plan.hpp"

namespace hs::engine {

class SliceSet {
 public:
  void insert(SliceRange r);
  void insert(std::uint64_t s) { insert(SliceRange{s, s + 1}); }
  [[nodiscard]] bool contains(std::uint64_t s) const;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::size_t range_count() const noexcept { return ranges_.size(); }
  // The smallest index >= from that is not in the set.
  [[nodiscard]] std::uint64_t next_missing(std::uint64_t from) const;
  [[nodiscard]] std::vector<SliceRange> ranges() const;
  // [0, limit) without the set.
  [[nodiscard]] std::vector<SliceRange> complement(std::uint64_t limit) const;
  bool operator==(const SliceSet&) const = default;

 private:
  std::map<std::uint64_t, std::uint64_t> ranges_;  // begin -> end, disjoint and not touching
  std::uint64_t count_ = 0;
};

// Static schedule: rank r's contiguous share (by count) of the slices in `ranges`, as sub-ranges.
std::vector<SliceRange> static_share(const std::vector<SliceRange>& ranges, int rank, int ranks);

// The non-empty slices of a sorted list of ranges, in order (a static share, skipping empty slices).
class NonemptySlices {
 public:
  NonemptySlices(const Plan& plan, std::vector<SliceRange> ranges) : plan_(plan), ranges_(std::move(ranges)) {}
  std::optional<std::uint64_t> next();
  [[nodiscard]] std::uint64_t count() const;

 private:
  const Plan& plan_;
  std::vector<SliceRange> ranges_;
  std::size_t i_ = 0;
  std::uint64_t at_ = 0;
};

}  // namespace hs::engine
