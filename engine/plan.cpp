// Plan: balanced splits with 128-bit intermediates, so no product overflows.
#include "engine/plan.hpp"

#include <stdexcept>

#include "kernels/series.hpp"

namespace hs::engine {
namespace {
std::uint64_t share(std::uint64_t total, std::uint64_t i, std::uint64_t parts) {
  return static_cast<std::uint64_t>(static_cast<unsigned __int128>(total) * i / parts);
}
}  // namespace

Plan::Plan(std::uint64_t terms, std::uint64_t slices)
    : terms_(terms), blocks_((terms + kernels::kBlockTerms - 1) / kernels::kBlockTerms), slices_(slices) {
  if (terms == 0 || slices == 0) throw std::invalid_argument("Plan: terms and slices must be positive");
}

BlockRange Plan::slice_blocks(std::uint64_t s) const noexcept {
  return {share(blocks_, s, slices_), share(blocks_, s + 1, slices_)};
}

BlockRange Plan::rank_slices(int rank, int ranks) const noexcept {
  const auto p = static_cast<std::uint64_t>(ranks);
  const auto r = static_cast<std::uint64_t>(rank);
  return {share(slices_, r, p), share(slices_, r + 1, p)};
}

BlockRange Plan::rank_blocks(int rank, int ranks) const noexcept {
  const BlockRange s = rank_slices(rank, ranks);
  if (s.size() == 0) return {0, 0};
  return {slice_blocks(s.begin).begin, slice_blocks(s.end - 1).end};
}

}  // namespace hs::engine
