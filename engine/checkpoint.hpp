// Checkpoints: which slices are finished and the exact sum of their contributions, so a run can stop
// (a dead node, a signal) and `--resume` under any layout gives the same bits as an uninterrupted run.
// Text, versioned, checksummed; written atomically (temp file, fsync, rename, fsync of the folder).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"
#include "kernels/exact_accumulator.hpp"

namespace hs::engine {

struct Checkpoint {
  kernels::Kernel kernel = kernels::Kernel::leibniz;
  std::uint64_t terms = 0, slices = 0, block_terms = 0;
  std::vector<bool> done;         // per slice
  kernels::ExactAccumulator sum;  // exact sum of the done slices

  static Checkpoint empty_for(const RunConfig& c);
  [[nodiscard]] std::uint64_t done_count() const;
};

std::string serialize(const Checkpoint& c);
// Throws InputError naming `path` for empty, truncated, corrupt or malformed text.
Checkpoint parse_checkpoint(std::string_view text, const std::string& path);
Checkpoint read_checkpoint(const std::string& path);
// Throws InputError when the checkpoint belongs to another configuration.
void check_matches(const Checkpoint& c, const RunConfig& config, const std::string& path);
// Throws InputError when `path` cannot be written (checked before any work).
void check_writable(const std::string& path);
// Atomic replace; returns false (errno set) on failure.
bool write_checkpoint(const std::string& path, const Checkpoint& c);

}  // namespace hs::engine
