// RunConfig: what `hyperslice run` computes and how, merged from defaults, a TOML file and the
// command line (command line wins, key by key), then validated. Every rank parses the same input,
// so every rank reaches the same verdict without talking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "kernels/series.hpp"

namespace hs::engine {

enum class Schedule { static_blocks, dynamic, hierarchical };
std::string_view name(Schedule s) noexcept;

inline constexpr std::uint64_t kDefaultSlices = 128;         // the seed's Table 3
inline constexpr std::uint64_t kDefaultSliceSize = 1000000;  // the seed's slice_size

// One source of settings (command line or config file); unset fields come from elsewhere.
struct RunOptions {
  std::optional<kernels::Kernel> kernel;
  std::optional<std::uint64_t> terms, slices, slice_size;
  std::optional<Schedule> schedule;
  std::optional<int> group_size;  // hierarchical schedule: ranks per leader
  std::optional<int> threads;
  std::optional<kernels::Isa> isa;  // nullopt with isa_auto: choose per rank
  bool isa_auto = false;
  std::optional<bool> pin;
  std::optional<std::string> checkpoint;
  bool resume = false;
  bool force = false;
  std::optional<bool> verify;  // --verify (true), --no-verify (false)
  std::optional<double> checkpoint_every, fail_timeout;
};

struct RunConfig {
  kernels::Kernel kernel = kernels::Kernel::leibniz_grouped;  // the fastest exact kernel
  std::uint64_t terms = kDefaultSlices * kDefaultSliceSize;
  std::uint64_t slices = kDefaultSlices;
  double slice_size = kDefaultSliceSize;  // terms / slices (nominal: slices are whole blocks)
  Schedule schedule = Schedule::dynamic;
  int group_size = 0;               // hierarchical: ranks per leader; 0: the ranks of each node
  int threads = 0;                  // 0: OMP_NUM_THREADS, else the cores the rank is bound to
  std::optional<kernels::Isa> isa;  // nullopt: best the rank's CPU supports
  bool pin = true;
  std::string checkpoint;         // empty: none
  bool resume = false;            // continue from `checkpoint`
  bool force = false;             // start afresh over an existing checkpoint at `checkpoint`
  bool verify = true;             // compare pi with the exact partial sum (MPFR) on rank 0; off for midpoint
  double checkpoint_every = 2.0;  // seconds between checkpoint writes
  double fail_timeout = 30.0;     // seconds of silence after which rank 0 declares a rank lost
};

// The choices, for messages and --help: "leibniz, leibniz-paired, ..." and "auto, scalar, ...".
std::string kernel_names(std::string_view separator);
std::string isa_names(std::string_view separator);

// Parsers for single values; `what` names the flag or key in the error message.
std::uint64_t parse_count(std::string_view what, std::string_view text);
kernels::Kernel parse_kernel_name(std::string_view what, std::string_view text);
// "leibniz,midpoint": one or more kernel names separated by commas, none empty.
std::vector<kernels::Kernel> parse_kernel_list(std::string_view what, std::string_view text);
Schedule parse_schedule_name(std::string_view what, std::string_view text);
// "auto" gives nullopt.
std::optional<kernels::Isa> parse_isa_name(std::string_view what, std::string_view text);
// A positive count of `unit` up to `max`, e.g. "--repetitions: 5000 repetitions is more than 1000".
int parse_bounded_count(std::string_view what, std::string_view text, std::uint64_t max, std::string_view unit);
int parse_threads(std::string_view what, std::string_view text);  // up to 4096 threads
// Seconds: a positive decimal up to one day.
double parse_seconds(std::string_view what, std::string_view text);

// Reads a TOML run config (flat keys: kernel, terms, slices, slice_size, schedule, group_size, threads, isa, pin).
RunOptions read_config_file(const std::string& path);
RunOptions parse_config_text(std::string_view text, const std::string& source_name);

// Defaults <- file <- command line, then the terms/slices/slice_size rules and range checks.
RunConfig resolve(const RunOptions& file, const RunOptions& cli);

}  // namespace hs::engine
