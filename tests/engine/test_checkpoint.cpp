// Checkpoint format: exact round trip, and every damaged or foreign checkpoint refused with a clear error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <sys/stat.h>

#include "engine/checkpoint.hpp"
#include "engine/run_errors.hpp"

using namespace hs::engine;

namespace {

Checkpoint sample() {
  RunConfig c;
  c.kernel = hs::kernels::Kernel::leibniz_paired;
  c.terms = 1000000;
  c.slices = 10;
  Checkpoint k = Checkpoint::empty_for(c);
  for (std::uint64_t i : {0, 1, 2, 5, 9}) k.done.insert(i);
  for (double x : {0.785, 1e-17, -3e-30}) k.sum.add(x);
  return k;
}

std::string error_of(const std::string& text) {
  try {
    parse_checkpoint(text, "ck");
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST(Checkpoint, RoundTripIsExact) {
  const Checkpoint a = sample();
  const std::string text = serialize(a);
  EXPECT_NE(text.find("done 0-2,5,9\n"), std::string::npos);
  const Checkpoint b = parse_checkpoint(text, "ck");
  EXPECT_EQ(b.kernel, a.kernel);
  EXPECT_EQ(b.terms, a.terms);
  EXPECT_EQ(b.slices, a.slices);
  EXPECT_EQ(b.done, a.done);
  EXPECT_EQ(b.done_count(), 5u);
  EXPECT_EQ(b.sum.limbs(), a.sum.limbs());
  EXPECT_EQ(b.sum.round(), a.sum.round());
}

TEST(Checkpoint, DamagedOnesAreRefused) {
  const std::string good = serialize(sample());
  EXPECT_EQ(error_of(""), "--resume: checkpoint 'ck' is empty; refusing to mix it in");
  EXPECT_NE(error_of(good.substr(0, good.size() / 2)).find("is truncated"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, good.size() - 1)).find("is truncated"), std::string::npos);
  std::string flipped = good;
  flipped[good.find("limbs") + 8] ^= 1;
  EXPECT_NE(error_of(flipped).find("is corrupt (checksum mismatch)"), std::string::npos);
  EXPECT_NE(error_of("some other file\n").find("not a hyperslice checkpoint"), std::string::npos);
  std::string binary(64, '\0');
  EXPECT_NE(error_of(binary).find("not a hyperslice checkpoint"), std::string::npos);
}

TEST(Checkpoint, ForeignConfigurationIsRefused) {
  const Checkpoint k = sample();
  RunConfig c;
  c.kernel = hs::kernels::Kernel::leibniz_paired;
  c.terms = 1000000;
  c.slices = 10;
  EXPECT_NO_THROW(check_matches(k, c, "ck"));
  c.slices = 11;
  try {
    check_matches(k, c, "ck");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is for kernel leibniz-paired, 1000000 terms, 10 slices"), std::string::npos);
  }
  c.slices = 10;
  c.kernel = hs::kernels::Kernel::leibniz;
  EXPECT_THROW(check_matches(k, c, "ck"), InputError);
}

TEST(Checkpoint, AtomicWriteAndUnwritablePaths) {
  const auto dir = std::filesystem::temp_directory_path() / "hs_ck_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "run.ckpt").string();
  ASSERT_TRUE(write_checkpoint(path, sample()));
  EXPECT_EQ(read_checkpoint(path).done_count(), 5u);
  for (const auto& e : std::filesystem::directory_iterator(dir))  // no temp file left behind
    EXPECT_EQ(e.path().filename(), "run.ckpt");
  EXPECT_FALSE(write_checkpoint("/nonexistent/dir/run.ckpt", sample()));
  std::filesystem::remove_all(dir);
}

namespace {

std::string open_error(const RunConfig& c) {
  try {
    open_checkpoint(c);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string contents(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(Checkpoint, NothingButACheckpointIsEverOverwritten) {
  const auto dir = std::filesystem::temp_directory_path() / "hs_ck_clobber";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RunConfig c;
  c.terms = 1000000;
  c.slices = 10;
  c.checkpoint = (dir / "new.ckpt").string();
  EXPECT_EQ(open_checkpoint(c).done_count(), 0u);  // nothing there: a fresh start

  const std::string user_file = (dir / "results.csv").string();
  { std::ofstream(user_file) << "n,seconds\n1,2\n"; }
  std::filesystem::create_symlink(user_file, dir / "link.ckpt");
  ASSERT_EQ(mkfifo((dir / "fifo.ckpt").c_str(), 0644), 0);
  for (bool force : {false, true}) {
    c.force = force;
    c.checkpoint = user_file;
    EXPECT_NE(open_error(c).find("exists and is not a hyperslice checkpoint"), std::string::npos);
    c.checkpoint = (dir / "link.ckpt").string();
    EXPECT_NE(open_error(c).find("is a symbolic link"), std::string::npos);
    c.checkpoint = (dir / "fifo.ckpt").string();
    EXPECT_NE(open_error(c).find("is a FIFO, not a checkpoint"), std::string::npos);
    c.checkpoint = dir.string();
    EXPECT_NE(open_error(c).find("is a folder"), std::string::npos);
    c.checkpoint = "/dev/null";
    EXPECT_NE(open_error(c).find("is a character device"), std::string::npos);
  }
  EXPECT_EQ(contents(user_file), "n,seconds\n1,2\n");
  EXPECT_TRUE(std::filesystem::is_fifo(dir / "fifo.ckpt"));

  // An existing checkpoint: only --resume (of the same run) or --force may use it.
  c.checkpoint = (dir / "old.ckpt").string();
  ASSERT_TRUE(write_checkpoint(c.checkpoint, sample()));
  c.force = false;
  EXPECT_NE(open_error(c).find("already holds a checkpoint; add --resume to continue it, or --force"),
            std::string::npos);
  c.force = true;
  EXPECT_EQ(open_checkpoint(c).done_count(), 0u);
  c.force = false;
  c.resume = true;
  EXPECT_NE(open_error(c).find("is for kernel leibniz-paired"), std::string::npos);
  c.kernel = hs::kernels::Kernel::leibniz_paired;
  EXPECT_EQ(open_checkpoint(c).done_count(), 5u);

  // And the atomic writer will not replace a FIFO or follow a link either.
  EXPECT_FALSE(write_checkpoint((dir / "fifo.ckpt").string(), sample()));
  EXPECT_FALSE(write_checkpoint((dir / "link.ckpt").string(), sample()));
  EXPECT_TRUE(std::filesystem::is_fifo(dir / "fifo.ckpt"));
  EXPECT_EQ(contents(user_file), "n,seconds\n1,2\n");
  std::filesystem::remove_all(dir);
}

TEST(Checkpoint, OneJobAtATimePerCheckpoint) {
  const auto dir = std::filesystem::temp_directory_path() / "hs_ck_lock";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "run.ckpt").string();
  {
    CheckpointLock first(path);
    try {
      CheckpointLock second(path);  // a second open file description: flock refuses it
      FAIL() << "two locks on one checkpoint";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("is in use by another hyperslice job"), std::string::npos);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));  // released and removed
  EXPECT_NO_THROW(CheckpointLock again(path));
  EXPECT_THROW(CheckpointLock nowhere("/nonexistent/dir/run.ckpt"), InputError);
  std::filesystem::remove_all(dir);
}
