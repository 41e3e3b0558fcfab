// read_bounded_file: stat first (a device is never opened), open with O_NONBLOCK (a FIFO swapped in
// meanwhile cannot block), fstat the descriptor, then read at most max_bytes + 1.
#include "base/bounded_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


namespace hs {

std::string size_words(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string_view file_kind_words(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "a regular file";
    case S_IFDIR:
      return "a folder";
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
    case S_IFLNK:
      return "a symbolic link";
    default:
      return "not a regular file";
  }
}

std::optional<std::string> try_read_bounded_file(const std::string& path, std::size_t max_bytes,
                                                 std::string_view what, std::string_view noun, std::string& why) {
  auto fail = [&](std::string message) -> std::optional<std::string> {
    why = std::move(message);
    return std::nullopt;
  };
  auto refuse_kind = [&](unsigned mode) {
    return fail(fmt::format("{}: '{}' is {}, not a file; {} must be a regular file", what, path,
                                 file_kind_words(mode), noun));
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(fmt::format("{}: cannot read '{}': {}", what, path, std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return refuse_kind(st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return fail(fmt::format("{}: cannot read '{}': {}", what, path, std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return refuse_kind(st.st_mode);
  auto too_big = [&] {
    return fail(fmt::format("{}: '{}' is over {}; not {}", what, path, size_words(max_bytes), noun));
  };
  if (static_cast<std::size_t>(st.st_size) > max_bytes) return too_big();
  // Enforced while reading too: a file that grows, or one whose size the kernel reports as 0 (procfs).
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(fmt::format("{}: cannot read '{}': {}", what, path, std::strerror(errno)));
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) return too_big();
    out.append(chunk, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace hs
