// Reading what the user names (configs, checkpoints, hostfiles, XML topologies) without ever blocking
// or reading without end: only regular files, size checked after opening and enforced while reading.
// A FIFO with no writer, /dev/zero or a terminal would otherwise hang the job on every rank.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/user_error.hpp"

namespace hs {

// The contents of the regular file `path`, at most `max_bytes` long; or nullopt with `why` worded as
// "<what>: ..." for a missing or unreadable path, a folder, a FIFO, a device or socket (refused without
// opening it), or a file over the limit. `noun` says what the file should have been ("a run config").
std::optional<std::string> try_read_bounded_file(const std::string& path, std::size_t max_bytes,
                                                 std::string_view what, std::string_view noun, std::string& why);

// The same, throwing the caller's layer's error type (a UserError) with that message.
template <class Error = UserError>
std::string read_bounded_file(const std::string& path, std::size_t max_bytes, std::string_view what,
                              std::string_view noun) {
  std::string why;
  if (auto text = try_read_bounded_file(path, max_bytes, what, noun, why)) return std::move(*text);
  throw Error(why);
}

// "1 MiB", "64 KiB", "512 bytes": for messages about limits.
std::string size_words(std::size_t bytes);

// What a non-regular file is, for messages: "a folder", "a FIFO", "a character device", ...
std::string_view file_kind_words(unsigned mode);

}  // namespace hs
