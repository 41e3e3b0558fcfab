// Checkpoint format: exact round trip, and every damaged or foreign checkpoint refused with a clear error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/checkpoint.hpp"
#include "engine/error.hpp"

using namespace hs::engine;

namespace {

Checkpoint sample() {
  RunConfig c;
  c.kernel = hs::kernels::Kernel::leibniz_paired;
  c.terms = 1000000;
  c.slices = 10;
  Checkpoint k = Checkpoint::empty_for(c);
  for (int i : {0, 1, 2, 5, 9}) k.done[static_cast<std::size_t>(i)] = true;
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
  EXPECT_NO_THROW(check_writable(path));
  EXPECT_THROW(check_writable("/nonexistent/dir/run.ckpt"), InputError);
  EXPECT_FALSE(write_checkpoint("/nonexistent/dir/run.ckpt", sample()));
  std::filesystem::remove_all(dir);
}
