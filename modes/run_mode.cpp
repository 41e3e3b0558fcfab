// `hyperslice run`: the settings resolved (command line over --config), the run on every rank, the
// progress where someone watches, rank 0's report and the verify verdict.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "engine/compute.hpp"
#include "engine/config.hpp"
#include "engine/run_report.hpp"
#include "engine/run.hpp"
#include "launch/launcher_process.hpp"
#include "modes/modes.hpp"

namespace hs::modes {

Outcome run_mode(const RunModeOptions& o, MPI_Comm comm) {
  using namespace engine;
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const RunOptions file = o.config_file.empty() ? RunOptions{} : read_config_file(o.config_file);
  const RunConfig config = resolve(file, o.command_line);

  RunHooks hooks;
  hooks.on_start = [](const topology::Survey& s) { print_warnings(s.pitfalls); };
  const char* term = std::getenv("TERM");
  const ProgressStyle style =
      choose_progress_style(o.progress, rank == 0 && launch::output_reaches_a_terminal(), term ? term : "");
  ProgressPrinter progress(rank == 0 ? style : ProgressStyle::none, o.progress.on, o.progress_every, stderr);
  hooks.progress = progress.hook();
  const topology::Machine machine = run_machine();
  const RunResult r = run_pi(config, comm, machine, hooks);
  if (rank != 0) return Outcome::ok;
  progress.finish();
  print_report(o.output, machine, to_json(r), to_text(r));
  if (r.verification && r.verification->ulps > 1) {
    std::cout.flush();
    std::fprintf(stderr, "hyperslice: error: verify: pi %s is %llu ulps from the exact partial sum %s (more than 1)\n",
                 kernels::hex_double(r.pi).c_str(), static_cast<unsigned long long>(r.verification->ulps),
                 kernels::hex_double(r.verification->exact).c_str());
    return Outcome::verify_failed;
  }
  return Outcome::ok;
}

}  // namespace hs::modes
