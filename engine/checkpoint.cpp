// Checkpoint text format, version 1:
//   hyperslice-checkpoint 1
//   kernel leibniz / terms N / slices S / block_terms B
//   done 0-57,60,62-70          (finished slices, ranges; "-" for none)
//   limbs <72 hex int64, normalised>
//   nonfinite 0|1
//   fnv1a64 <hex of every byte above this line>
#include "engine/checkpoint.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/bounded_file.hpp"
#include "engine/run_errors.hpp"

namespace hs::engine {
namespace {

constexpr std::string_view kMagic = "hyperslice-checkpoint 1";

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string ranges_text(const SliceSet& done) {
  std::string out;
  for (const SliceRange& r : done.ranges()) {
    out += out.empty() ? "" : ",";
    out += r.size() == 1 ? std::to_string(r.begin) : fmt::format("{}-{}", r.begin, r.end - 1);
  }
  return out.empty() ? "-" : out;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Checkpoint Checkpoint::empty_for(const RunConfig& c) {
  Checkpoint k;
  k.kernel = c.kernel;
  k.terms = c.terms;
  k.slices = c.slices;
  k.block_terms = kernels::kBlockTerms;
  return k;
}

std::uint64_t Checkpoint::done_count() const { return done.count(); }

std::string serialize(const Checkpoint& c) {
  std::string body = fmt::format("{}\nkernel {}\nterms {}\nslices {}\nblock_terms {}\ndone {}\nlimbs", kMagic,
                                 kernels::name(c.kernel), c.terms, c.slices, c.block_terms, ranges_text(c.done));
  for (auto v : c.sum.limbs()) body += fmt::format(" {:x}", static_cast<std::uint64_t>(v));
  body += fmt::format("\nnonfinite {}\n", c.sum.nonfinite() ? 1 : 0);
  return body + fmt::format("fnv1a64 {:016x}\n", fnv1a64(body));
}

Checkpoint parse_checkpoint(std::string_view text, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return InputError(fmt::format("--resume: checkpoint '{}' {}; refusing to mix it in", path, why));
  };
  if (text.empty()) throw bad("is empty");
  const auto sum_at = text.rfind("fnv1a64 ");
  if (text.substr(0, kMagic.size()) != kMagic) throw bad("is not a hyperslice checkpoint (no header)");
  if (sum_at == std::string_view::npos || text.back() != '\n') throw bad("is truncated (no checksum line)");
  const std::string_view body = text.substr(0, sum_at);
  const std::string stored(text.substr(sum_at + 8, text.size() - sum_at - 9));
  if (stored != fmt::format("{:016x}", fnv1a64(body))) throw bad("is corrupt (checksum mismatch)");

  Checkpoint c;
  std::istringstream in{std::string(body)};
  std::string line, key;
  std::getline(in, line);  // magic
  bool have_limbs = false;
  std::string done_text;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    words >> key;
    if (key == "kernel") {
      std::string k;
      words >> k;
      auto parsed = kernels::parse_kernel(k);
      if (!parsed) throw bad("names an unknown kernel '" + k + "'");
      c.kernel = *parsed;
    } else if (key == "terms") {
      words >> c.terms;
    } else if (key == "slices") {
      words >> c.slices;
    } else if (key == "block_terms") {
      words >> c.block_terms;
    } else if (key == "done") {
      words >> done_text;
    } else if (key == "limbs") {
      kernels::ExactAccumulator::Limbs limbs{};
      for (auto& v : limbs) {
        std::uint64_t u = 0;
        if (!(words >> std::hex >> u)) throw bad("has a short limbs line");
        v = static_cast<std::int64_t>(u);
      }
      c.sum = kernels::ExactAccumulator::from_limbs(limbs);
      have_limbs = true;
    } else if (key == "nonfinite") {
      int n = 0;
      words >> n;
      if (n) c.sum = kernels::ExactAccumulator::from_limbs(c.sum.limbs(), true);
    } else {
      throw bad("has an unknown line '" + key + "'");
    }
    if (words.fail()) throw bad("has a malformed '" + key + "' line");
  }
  if (!have_limbs || c.slices == 0 || c.terms == 0 || done_text.empty()) throw bad("is incomplete");
  if (c.slices > c.terms || c.terms > kernels::kMaxTerms) throw bad("has an impossible slice or term count");
  if (done_text != "-") {
    std::istringstream parts(done_text);
    std::string part;
    while (std::getline(parts, part, ',')) {
      const auto dash = part.find('-');
      std::uint64_t a = 0, b = 0;
      try {
        a = std::stoull(part.substr(0, dash));
        b = dash == std::string::npos ? a : std::stoull(part.substr(dash + 1));
      } catch (...) {
        throw bad("has a malformed done list");
      }
      if (a > b || b >= c.slices) throw bad("lists slices outside 0.." + std::to_string(c.slices - 1));
      c.done.insert(SliceRange{a, b + 1});
    }
  }
  return c;
}

Checkpoint read_checkpoint(const std::string& path) {
  return parse_checkpoint(read_bounded_file<InputError>(path, kMaxCheckpointBytes, "--resume", "a hyperslice checkpoint"),
                          path);
}

void check_matches(const Checkpoint& c, const RunConfig& r, const std::string& path) {
  if (c.kernel != r.kernel || c.terms != r.terms || c.slices != r.slices || c.block_terms != kernels::kBlockTerms)
    throw InputError(fmt::format(
        "--resume: checkpoint '{}' is for kernel {}, {} terms, {} slices (blocks of {}), not this run's kernel {}, "
        "{} terms, {} slices; refusing to mix it in",
        path, kernels::name(c.kernel), c.terms, c.slices, c.block_terms, kernels::name(r.kernel), r.terms, r.slices,
        kernels::kBlockTerms));
}

Checkpoint open_checkpoint(const RunConfig& config) {
  const std::string& path = config.checkpoint;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && !config.resume) return Checkpoint::empty_for(config);  // a new file
    if (errno == ENOENT)
      throw InputError(fmt::format("--resume: cannot read checkpoint '{}': {}", path, std::strerror(errno)));
    throw InputError(fmt::format("--checkpoint: cannot use '{}': {}", path, std::strerror(errno)));
  }
  if (S_ISLNK(st.st_mode))
    throw InputError(fmt::format("--checkpoint: '{}' is a symbolic link; refusing to write through it (give the "
                                 "file's own path)",
                                 path));
  if (!S_ISREG(st.st_mode))
    throw InputError(fmt::format("--checkpoint: '{}' is {}, not a checkpoint; refusing to touch it", path,
                                 file_kind_words(st.st_mode)));
  if (config.resume) {
    Checkpoint c = read_checkpoint(path);
    check_matches(c, config, path);
    return c;
  }
  std::string why;  // too big or unreadable: certainly not one of ours
  const std::string head =
      try_read_bounded_file(path, kMaxCheckpointBytes, "--checkpoint", "a hyperslice checkpoint", why).value_or("");
  if (head.compare(0, kMagic.size(), kMagic) != 0)
    throw InputError(fmt::format("--checkpoint: '{}' exists and is not a hyperslice checkpoint; refusing to overwrite "
                                 "it (choose another path)",
                                 path));
  if (!config.force)
    throw InputError(fmt::format("--checkpoint: '{}' already holds a checkpoint; add --resume to continue it, or "
                                 "--force to start afresh over it",
                                 path));
  return Checkpoint::empty_for(config);
}

CheckpointLock::CheckpointLock(const std::string& path) : lock_path_(path + ".lock") {
  // The classic lock-file race: a job ending unlinks the file while another opens it. So after taking
  // the lock, check the path still names the file locked; if not, try again on the new one.
  for (int attempt = 0; attempt < 8; ++attempt) {
    fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd_ < 0)
      throw InputError(fmt::format("--checkpoint: cannot write '{}': {}", path,
                                   errno == ELOOP ? "its lock file is a symbolic link" : std::strerror(errno)));
    struct stat held {}, named {};
    if (::fstat(fd_, &held) != 0 || !S_ISREG(held.st_mode)) {
      ::close(fd_);
      throw InputError(fmt::format("--checkpoint: lock file '{}' is not a regular file", lock_path_));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw InputError(fmt::format("--checkpoint: '{}' is in use by another hyperslice job (it holds '{}'); wait for "
                                   "it to end or choose another path",
                                   path, lock_path_));
    }
    if (::stat(lock_path_.c_str(), &named) == 0 && named.st_ino == held.st_ino && named.st_dev == held.st_dev) return;
    ::close(fd_);
  }
  throw InputError(fmt::format("--checkpoint: lock file '{}' keeps changing; is another job starting?", lock_path_));
}

CheckpointLock::~CheckpointLock() {
  ::unlink(lock_path_.c_str());  // while still holding it: a job waiting on this inode then retries
  ::close(fd_);
}

bool write_checkpoint(const std::string& path, const Checkpoint& c) {
  const std::string text = serialize(c);
  const std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
  // A fresh file (O_EXCL, no symlink followed): whatever happens to be at that name is not ours.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  // Replace only a regular file (or nothing): never a device, FIFO, folder or symlink put there since.
  struct stat st {};
  const bool replaceable = ::lstat(path.c_str(), &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!replaceable) errno = EEXIST;
  if (!replaceable || !synced || !closed || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    return false;
  }
  const int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

}  // namespace hs::engine
