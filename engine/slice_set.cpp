// SliceSet: insertion merges with every range it touches, so the map stays minimal.
#include "engine/slice_set.hpp"

#include <algorithm>
#include <iterator>

namespace hs::engine {

void SliceSet::insert(SliceRange r) {
  if (r.end <= r.begin) return;
  auto it = ranges_.upper_bound(r.begin);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= r.begin) it = prev;  // overlaps or touches the one before
  }
  while (it != ranges_.end() && it->first <= r.end) {
    r.begin = std::min(r.begin, it->first);
    r.end = std::max(r.end, it->second);
    count_ -= it->second - it->first;
    it = ranges_.erase(it);
  }
  ranges_.emplace(r.begin, r.end);
  count_ += r.size();
}

bool SliceSet::contains(std::uint64_t s) const {
  auto it = ranges_.upper_bound(s);
  return it != ranges_.begin() && std::prev(it)->second > s;
}

std::uint64_t SliceSet::next_missing(std::uint64_t from) const {
  auto it = ranges_.upper_bound(from);
  if (it != ranges_.begin() && std::prev(it)->second > from) return std::prev(it)->second;
  return from;
}

std::vector<SliceRange> SliceSet::ranges() const {
  std::vector<SliceRange> out;
  out.reserve(ranges_.size());
  for (const auto& [b, e] : ranges_) out.push_back({b, e});
  return out;
}

std::vector<SliceRange> SliceSet::complement(std::uint64_t limit) const {
  std::vector<SliceRange> out;
  std::uint64_t at = 0;
  for (const auto& [b, e] : ranges_) {
    if (b >= limit) break;
    if (b > at) out.push_back({at, b});
    at = std::max(at, e);
  }
  if (at < limit) out.push_back({at, limit});
  return out;
}

std::vector<SliceRange> static_share(const std::vector<SliceRange>& ranges, int rank, int ranks) {
  using u128 = unsigned __int128;
  std::uint64_t total = 0;
  for (const auto& r : ranges) total += r.size();
  const auto lo = static_cast<std::uint64_t>(static_cast<u128>(total) * static_cast<unsigned>(rank) /
                                             static_cast<unsigned>(ranks));
  const auto hi = static_cast<std::uint64_t>(static_cast<u128>(total) * static_cast<unsigned>(rank + 1) /
                                             static_cast<unsigned>(ranks));
  std::vector<SliceRange> out;
  std::uint64_t pos = 0;  // position of the current range's first slice among all of them
  for (const auto& r : ranges) {
    const std::uint64_t a = std::max(lo, pos), b = std::min(hi, pos + r.size());
    if (a < b) out.push_back({r.begin + (a - pos), r.begin + (b - pos)});
    pos += r.size();
  }
  return out;
}

std::optional<std::uint64_t> NonemptySlices::next() {
  for (; i_ < ranges_.size(); ++i_) {
    const std::uint64_t s = plan_.next_nonempty(std::max(at_, ranges_[i_].begin));
    if (s < ranges_[i_].end) {
      at_ = s + 1;
      return s;
    }
  }
  return std::nullopt;
}

std::uint64_t NonemptySlices::count() const {
  std::uint64_t n = 0;
  for (const auto& r : ranges_) n += plan_.nonempty_in(r);
  return n;
}

}  // namespace hs::engine
