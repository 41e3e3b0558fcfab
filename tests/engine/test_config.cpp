// RunConfig: value parsing, TOML reading, merging (command line over file) and the size rules.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "engine/config.hpp"
#include "engine/run_errors.hpp"

using namespace hs::engine;
using hs::kernels::Kernel;

namespace {
std::string error_of(auto&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}
}  // namespace

TEST(ParseCount, AcceptsIntegersAndExactScientificForms) {
  EXPECT_EQ(parse_count("--terms", "128000000"), 128000000u);
  EXPECT_EQ(parse_count("--terms", "1e10"), 10000000000u);
  EXPECT_EQ(parse_count("--terms", "1.28e8"), 128000000u);
  EXPECT_EQ(parse_count("--terms", "18446744073709551615"), UINT64_MAX);
}

TEST(ParseCount, RejectsWithTheFlagAndTheValue) {
  EXPECT_EQ(error_of([] { parse_count("--terms", "-5"); }), "--terms: expected a positive integer, got '-5'");
  EXPECT_EQ(error_of([] { parse_count("--slices", "0"); }), "--slices: must be positive, got '0'");
  EXPECT_EQ(error_of([] { parse_count("--terms", "abc"); }), "--terms: expected a positive integer, got 'abc'");
  EXPECT_EQ(error_of([] { parse_count("--terms", "1.5"); }), "--terms: expected a positive integer, got '1.5'");
  EXPECT_EQ(error_of([] { parse_count("--terms", "1.25e1"); }), "--terms: expected a positive integer, got '1.25e1'");
  EXPECT_EQ(error_of([] { parse_count("--terms", "18446744073709551616"); }),
            "--terms: '18446744073709551616' is too large");
  EXPECT_EQ(error_of([] { parse_count("--terms", "1e20"); }), "--terms: '1e20' is too large");
  EXPECT_EQ(error_of([] { parse_count("--terms", ""); }), "--terms: expected a positive integer, got ''");
}

TEST(ParseNames, UnknownNamesListTheChoices) {
  EXPECT_EQ(parse_kernel_name("--kernel", "leibniz-paired"), Kernel::leibniz_paired);
  EXPECT_EQ(error_of([] { parse_kernel_name("--kernel", "wallis"); }),
            "--kernel: unknown kernel 'wallis' (expected one of: leibniz, leibniz-paired, leibniz-grouped, midpoint)");
  EXPECT_EQ(error_of([] { parse_schedule_name("--schedule", "guided"); }),
            "--schedule: unknown schedule 'guided' (expected static, dynamic or hierarchical)");
  EXPECT_FALSE(parse_isa_name("--isa", "auto").has_value());
  EXPECT_NE(error_of([] { parse_isa_name("--isa", "neon9"); }).find("unknown ISA 'neon9'"), std::string::npos);
}

TEST(Resolve, DefaultsAreTheSeedWorkloadWithTheFastestExactKernel) {
  const RunConfig c = resolve({}, {});
  EXPECT_EQ(c.terms, 128000000u);
  EXPECT_EQ(c.slices, 128u);
  EXPECT_EQ(c.slice_size, 1000000.0);
  EXPECT_EQ(c.kernel, Kernel::leibniz_grouped);  // the fastest exact kernel: the seed's bits, faster
  EXPECT_EQ(c.schedule, Schedule::dynamic);
}

TEST(Resolve, GroupSizeBelongsToTheHierarchicalSchedule) {
  const RunConfig f = resolve(parse_config_text("schedule = \"hierarchical\"\ngroup_size = 32\n", "f.toml"), {});
  EXPECT_EQ(f.schedule, Schedule::hierarchical);
  EXPECT_EQ(f.group_size, 32);
  EXPECT_EQ(resolve({}, {}).group_size, 0);  // 0: the ranks of each node
  RunOptions o;
  o.group_size = 4;
  EXPECT_EQ(error_of([&] { resolve({}, o); }),
            "--group-size sets the hierarchical schedule's groups: give it with --schedule hierarchical");
}

TEST(Resolve, SizeRules) {
  RunOptions o;
  o.terms = 1000;
  EXPECT_EQ(resolve({}, o).slices, 128u);  // default slice count
  o.terms = 100;
  EXPECT_EQ(resolve({}, o).slices, 100u);  // never more slices than terms by default
  o = {};
  o.terms = 1000;
  o.slice_size = 300;
  EXPECT_EQ(resolve({}, o).slices, 4u);
  o = {};
  o.slices = 50;
  EXPECT_EQ(resolve({}, o).terms, 50000000u);
  o.slice_size = 10;
  o.terms = 500;
  EXPECT_EQ(resolve({}, o).terms, 500u);
  o.terms = 501;
  EXPECT_EQ(error_of([&] { resolve({}, o); }),
            "terms 501 != slices 50 x slice_size 10: give two of the three, or consistent values");
}

TEST(Resolve, RangeErrors) {
  RunOptions o;
  o.terms = (1ull << 52) + 1;
  EXPECT_NE(error_of([&] { resolve({}, o); }).find("is too large: 2k+1 must stay exact"), std::string::npos);
  o.terms = 10;
  o.slices = 11;
  EXPECT_EQ(error_of([&] { resolve({}, o); }), "slices 11 is more than terms 10");
  o = {};
  o.slices = 1ull << 40;
  o.slice_size = 1ull << 40;
  EXPECT_NE(error_of([&] { resolve({}, o); }).find("overflows 64 bits"), std::string::npos);
}

TEST(Resolve, CommandLineOverridesFileKeyByKey) {
  RunOptions file =
      parse_config_text("kernel = \"midpoint\"\nslices = 50\nslice_size = 1000000\nschedule = \"static\"\n", "f.toml");
  RunOptions cli;
  cli.slices = 64;
  cli.kernel = Kernel::leibniz_paired;
  const RunConfig c = resolve(file, cli);
  EXPECT_EQ(c.kernel, Kernel::leibniz_paired);
  EXPECT_EQ(c.slices, 64u);
  EXPECT_EQ(c.terms, 64000000u);
  EXPECT_EQ(c.schedule, Schedule::static_blocks);
}

TEST(ConfigFile, ErrorsNameTheFileKeyAndProblem) {
  EXPECT_EQ(error_of([] { parse_config_text("colour = 3\n", "c.toml"); }),
            "c.toml: unknown key 'colour' (expected kernel, terms, slices, slice_size, schedule, group_size, threads, isa, pin)");
  EXPECT_EQ(error_of([] { parse_config_text("terms = \"many\"\n", "c.toml"); }),
            "c.toml: terms: expected a positive integer");
  EXPECT_EQ(error_of([] { parse_config_text("terms = 1.5\n", "c.toml"); }),
            "c.toml: terms: expected a positive integer");
  EXPECT_EQ(error_of([] { parse_config_text("slices = -2\n", "c.toml"); }), "c.toml: slices: must be positive, got -2");
  EXPECT_EQ(error_of([] { parse_config_text("kernel = 4\n", "c.toml"); }), "c.toml: kernel: expected a string");
  EXPECT_NE(error_of([] { parse_config_text("terms = = 3\n", "c.toml"); }).find("c.toml:1:"), std::string::npos);
  EXPECT_NE(
      error_of([] { read_config_file("/nonexistent/run.toml"); }).find("--config: cannot read '/nonexistent/run.toml'"),
      std::string::npos);
}

TEST(ConfigFile, ShippedConfigsAreValid) {
  for (const char* f : {"default.toml", "seed-table2.toml", "seed-table3.toml"}) {
    const RunConfig c = resolve(read_config_file(std::string(HYPERSLICE_TEST_DATA) + "/../../configs/" + f), {});
    EXPECT_EQ(c.slice_size, 1000000.0) << f;
  }
  EXPECT_EQ(resolve(read_config_file(std::string(HYPERSLICE_TEST_DATA) + "/../../configs/seed-table2.toml"), {}).slices,
            50u);
}
