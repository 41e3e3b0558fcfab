// read_bounded_file: regular files up to the limit; everything that could block or never end refused
// at once with a message naming the path and what it is.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/bounded_file.hpp"

namespace {

std::string error_of(const std::string& path, std::size_t limit = 1024) {
  try {
    hs::read_bounded_file(path, limit, "--thing", "a thing file");
  } catch (const hs::UserError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST(BoundedFile, ReadsRegularFilesUpToTheLimit) {
  const auto dir = std::filesystem::temp_directory_path() / "hs_bounded";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "f.txt").string();
  { std::ofstream(path) << std::string(1024, 'x'); }
  EXPECT_EQ(hs::read_bounded_file(path, 1024, "--thing", "a thing file").size(), 1024u);
  EXPECT_EQ(error_of(path, 1023), "--thing: '" + path + "' is over 1023 bytes; not a thing file");
  EXPECT_EQ(error_of(path, 512), "--thing: '" + path + "' is over 512 bytes; not a thing file");
  std::filesystem::remove_all(dir);
}

TEST(BoundedFile, RefusesWhatCouldBlockOrNeverEnd) {
  const auto dir = std::filesystem::temp_directory_path() / "hs_bounded_kinds";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_EQ(error_of(fifo), "--thing: '" + fifo + "' is a FIFO, not a file; a thing file must be a regular file");
  EXPECT_NE(error_of("/dev/zero").find("'/dev/zero' is a character device, not a file"), std::string::npos);
  EXPECT_NE(error_of(dir.string()).find("is a folder, not a file"), std::string::npos);
  EXPECT_NE(error_of((dir / "missing").string()).find("cannot read"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(BoundedFile, SizeWords) {
  EXPECT_EQ(hs::size_words(1u << 20), "1 MiB");
  EXPECT_EQ(hs::size_words(64u << 10), "64 KiB");
  EXPECT_EQ(hs::size_words(1000), "1000 bytes");
}
