// The hostfile reader (launch/hostfile.hpp): Open MPI's hostfiles and Hydra's machinefiles.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "launch/hostfile.hpp"
#include "launch/launch_error.hpp"

using namespace hs::launch;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(Hostfile, HostfileErrors) {
  EXPECT_THROW(read_hostfile("/nonexistent/hosts"), LaunchError);
  EXPECT_THROW(read_hostfile(write_temp("hs_empty", "# nothing\n\n")), LaunchError);
  EXPECT_THROW(read_hostfile(write_temp("hs_bad", "node1 slots=many\n")), LaunchError);
  EXPECT_THROW(read_hostfile(write_temp("hs_bad2", "node1 cpus=4\n")), LaunchError);
}

TEST(Hostfile, HydraMachinefileSyntaxReads) {
  const auto hosts = read_hostfile(write_temp("hs_hydra", "node1:4\nnode2:8  # big one\nnode1:2\nnode3\n"));
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts[0].host, "node1");
  EXPECT_EQ(hosts[0].slots, 6);  // repeated lines add up, as in Open MPI hostfiles
  EXPECT_EQ(hosts[1].slots, 8);
  EXPECT_EQ(hosts[2].slots, 0);
  EXPECT_THROW(read_hostfile(write_temp("hs_hydra_bad", "node1:4 cpus=2\n")), LaunchError);
}

// Seeded random hostfiles (the pieces users get wrong): the reader either gives hosts with positive or
// unset slots, or throws LaunchError naming the option -- never another exception, never an empty list.
TEST(Hostfile, RandomLinesReadOrFailWithTheOptionNamed) {
  const std::vector<std::string> pieces = {"node1", "n2:4", "n3:", ":4", "slots=2", "slots=", "slots=-1", "max_slots=8",
                                           "max-slots=x", "#", "=", "node1:0", "\t", "\xc3\xa9",
                                           "slots=99999999999999999999", "a=b=c", std::string(1, '\0')};
  std::mt19937 rng(7);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
  const std::string path = write_temp("hs_random_hosts", "");
  for (int i = 0; i < 600; ++i) {
    std::string text;
    for (std::size_t line = pick(4); line > 0; --line) {
      for (std::size_t w = pick(4); w > 0; --w) text += pieces[pick(pieces.size() - 1)] + " ";
      text += "\n";
    }
    std::ofstream(path, std::ios::binary) << text;
    try {
      const auto hosts = read_hostfile(path, "--hostfile");
      ASSERT_FALSE(hosts.empty()) << text;
      for (const auto& h : hosts) EXPECT_GE(h.slots, 0) << text;
    } catch (const LaunchError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--hostfile: ", 0), 0u) << e.what();
    }
  }
}
