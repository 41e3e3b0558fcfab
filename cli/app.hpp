// The command line of `hyperslice`: every subcommand and option, built once as a CLI11 App. The
// executable parses with it; hyperslice-docgen walks the same App to write the man pages and the bash
// completion, so --help, man and completion cannot disagree.
#pragma once

#if HYPERSLICE_SMPI
#undef exit  // smpicxx's forced smpi_helpers.h makes exit() a macro; CLI11 has a method of that name
#endif
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "engine/settings.hpp"

namespace hs::cli {

struct Args {
  // run: one value (or flag count) per entry of the settings table, plus what only the CLI has
  std::vector<std::string> run_values = std::vector<std::string>(engine::run_settings().size());
  std::vector<int> run_flags = std::vector<int>(engine::run_settings().size());
  std::string config, threads, progress_every;
  bool json = false, quiet = false, no_pin = false, progress = false, no_progress = false;
  // bench
  std::string bench_kernels;  // comma-separated, split by the caller (so an empty item gets our message)
  std::string min_time, repetitions;
  bool no_links = false;
  // check
  std::string check_stages, tolerance, baseline, save_baseline, expect;
  bool node = false, drain = false, quick = false;
  // compare
  std::string compare_before, compare_after, alpha;
  // check --html, report
  std::string html;
  std::vector<std::string> report_files;
  // topology
  std::string synthetic, input, hostfile, ranks_per_node = "auto", nodes, time_limit = "01:00:00";
  bool recommend = false, smt = false, slurm = false;
};

// What CLI11 would say in its own words, said ours, before it parses: a missing or misplaced subcommand
// (naming the subcommands, and the one that has the option given), an unknown option (with the nearest
// one), a stray word. "" when argv looks right; CLI11 then parses it.
std::string misuse_of(const CLI::App& app, const std::vector<std::string>& argv);

// The app with its subcommands (run, hello, topology, bench, check, compare, report), each with --help and --version. `version_text`
// is called only when --version is given (it may ask the MPI library).
void build_app(CLI::App& app, Args& args, std::function<std::string()> version_text);

}  // namespace hs::cli
