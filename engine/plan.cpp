// Plan: balanced splits with 128-bit intermediates, so no product overflows. Slice s holds blocks
// [floor(B s / S), floor(B (s+1) / S)); so block b lies in the smallest s with floor(B (s+1) / S) > b,
// which is ceil((b+1) S / B) - 1.
#include "engine/plan.hpp"

#include <algorithm>
#include <stdexcept>

#include "kernels/series.hpp"

namespace hs::engine {
namespace {
using u128 = unsigned __int128;
std::uint64_t share(std::uint64_t total, std::uint64_t i, std::uint64_t parts) {
  return static_cast<std::uint64_t>(static_cast<u128>(total) * i / parts);
}
}  // namespace

Plan::Plan(std::uint64_t terms, std::uint64_t slices)
    : terms_(terms), blocks_((terms + kernels::kBlockTerms - 1) / kernels::kBlockTerms), slices_(slices) {
  if (terms == 0 || slices == 0) throw std::invalid_argument("Plan: terms and slices must be positive");
}

BlockRange Plan::slice_blocks(std::uint64_t s) const noexcept {
  return {share(blocks_, s, slices_), share(blocks_, s + 1, slices_)};
}

std::uint64_t Plan::slice_of_block(std::uint64_t b) const noexcept {
  const u128 num = static_cast<u128>(b + 1) * slices_;
  return static_cast<std::uint64_t>((num + blocks_ - 1) / blocks_) - 1;
}

std::uint64_t Plan::next_nonempty(std::uint64_t s) const noexcept {
  if (s >= slices_) return slices_;
  const BlockRange r = slice_blocks(s);
  if (r.size() > 0) return s;
  return r.begin >= blocks_ ? slices_ : slice_of_block(r.begin);
}

std::uint64_t Plan::nonempty_in(SliceRange r) const noexcept {
  // With B <= S each slice holds 0 or 1 block, so the non-empty ones are the blocks spanned; with
  // B > S every slice is non-empty.
  if (r.end <= r.begin) return 0;
  return std::min(r.size(), share(blocks_, r.end, slices_) - share(blocks_, r.begin, slices_));
}

std::uint64_t Plan::terms_in(SliceRange r) const noexcept {
  if (r.end <= r.begin) return 0;
  auto terms_before = [&](std::uint64_t block) { return std::min(terms_, block * kernels::kBlockTerms); };
  return terms_before(share(blocks_, r.end, slices_)) - terms_before(share(blocks_, r.begin, slices_));
}

SliceRange Plan::done_with(std::uint64_t s) const noexcept {
  const std::uint64_t next_block = slice_blocks(s).end;
  return {s, next_block >= blocks_ ? slices_ : slice_of_block(next_block)};
}

}  // namespace hs::engine
