// Checkpoints: which slices are finished and the exact sum of their contributions, so a run can stop
// (a dead node, a signal) and `--resume` under any layout gives the same bits as an uninterrupted run.
// Text, versioned, checksummed; written atomically (temp file, fsync, rename, fsync of the folder).
// A checkpoint path is never allowed to clobber anything: what is already there must be a checkpoint
// (of this run to resume it, any with --force to start afresh), and a lock keeps two jobs apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"
#include "engine/slice_set.hpp"
#include "kernels/exact_accumulator.hpp"

namespace hs::engine {

struct Checkpoint {
  kernels::Kernel kernel = kernels::Kernel::leibniz;
  std::uint64_t terms = 0, slices = 0, block_terms = 0;
  SliceSet done;                  // finished slices (and the empty slices beside them)
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
// Largest checkpoint file read (a done list of ~1 million ranges; ours have a few).
inline constexpr std::size_t kMaxCheckpointBytes = 16u << 20;

// Before any work, on rank 0: what is at config.checkpoint must be nothing, or a hyperslice checkpoint
// -- of this very run with config.resume (whose state is returned), any one with config.force -- and
// never a symbolic link, folder, FIFO, device or another file. Throws InputError, touching nothing.
Checkpoint open_checkpoint(const RunConfig& config);

// flock(2) on "<path>.lock", held for the job's lifetime, so a second job on the same checkpoint is
// refused at its start. Throws InputError if another job holds it or the folder cannot be written.
class CheckpointLock {
 public:
  explicit CheckpointLock(const std::string& path);
  ~CheckpointLock();
  CheckpointLock(const CheckpointLock&) = delete;
  CheckpointLock& operator=(const CheckpointLock&) = delete;

 private:
  std::string lock_path_;
  int fd_ = -1;
};

// Atomic replace (fresh temp file, fsync, rename); refuses to replace anything but a regular file.
// Returns false (errno set) on failure.
bool write_checkpoint(const std::string& path, const Checkpoint& c);

}  // namespace hs::engine
