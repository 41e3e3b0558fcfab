// hyperslice: the thin executable. Parses the command line (the same on every rank), calls the
// libraries, prints on rank 0. Input errors become one stderr line from rank 0 and exit 2 everywhere.
#include <mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "engine/config.hpp"
#include "engine/error.hpp"
#include "engine/report.hpp"
#include "engine/run.hpp"

namespace {

using hs::engine::InputError;

struct RunArgs {
  std::string config, kernel, terms, slices, slice_size, schedule, threads, isa;
  bool json = false, quiet = false, no_pin = false;
};

void add_run(CLI::App& app, RunArgs& a) {
  auto* run = app.add_subcommand("run", "Compute pi from a series, sliced over MPI ranks, OpenMP threads and SIMD lanes");
  run->add_option("--terms", a.terms, "Total terms N (e.g. 128000000 or 1.28e8)");
  run->add_option("--slices", a.slices, "Number of slices handed out (default 128)");
  run->add_option("--slice-size", a.slice_size, "Terms per slice, the seed's way: N = slices x slice-size (default 1000000)");
  run->add_option("--kernel", a.kernel, "leibniz | leibniz-paired | midpoint (default leibniz)");
  run->add_option("--schedule", a.schedule, "static | dynamic (default dynamic: rank 0 hands out slices and computes too)");
  run->add_option("--threads", a.threads, "OpenMP threads per rank (default OMP_NUM_THREADS, else the rank's bound cores)");
  run->add_option("--isa", a.isa, "auto | scalar | sse2 | avx2 | avx512 (default auto: best per rank)");
  run->add_option("--config", a.config, "TOML run config; command-line options override its values");
  run->add_flag("--json", a.json, "Print one JSON object on stdout");
  run->add_flag("--quiet", a.quiet, "No progress line");
  run->add_flag("--no-pin", a.no_pin, "Do not pin OpenMP threads to cores");
}

hs::engine::RunOptions cli_options(const CLI::App& run, const RunArgs& a) {
  using namespace hs::engine;
  RunOptions o;
  auto given = [&](const char* flag) { return run.get_option(flag)->count() > 0; };
  if (given("--kernel")) o.kernel = parse_kernel_name("--kernel", a.kernel);
  if (given("--terms")) o.terms = parse_count("--terms", a.terms);
  if (given("--slices")) o.slices = parse_count("--slices", a.slices);
  if (given("--slice-size")) o.slice_size = parse_count("--slice-size", a.slice_size);
  if (given("--schedule")) o.schedule = parse_schedule_name("--schedule", a.schedule);
  if (given("--threads")) o.threads = parse_threads("--threads", a.threads);
  if (given("--isa")) {
    o.isa = parse_isa_name("--isa", a.isa);
    o.isa_auto = !o.isa;
  }
  if (a.no_pin) o.pin = false;
  return o;
}

int do_run(const CLI::App& run, const RunArgs& a, int rank) {
  using namespace hs::engine;
  const RunOptions cli = cli_options(run, a);
  const RunOptions file = a.config.empty() ? RunOptions{} : read_config_file(a.config);
  const RunConfig config = resolve(file, cli);

  ProgressFn progress;
  if (rank == 0 && !a.quiet && !a.json && isatty(STDERR_FILENO)) {
    progress = [shown = false](const Progress& p) mutable {
      if (p.seconds < 2.0 && !shown) return;
      shown = true;
      const double frac = p.slices_total ? static_cast<double>(p.slices_done) / static_cast<double>(p.slices_total) : 0;
      const double eta = frac > 0 ? p.seconds * (1 - frac) / frac : 0;
      std::fprintf(stderr, "\rhyperslice: %llu/%llu slices handed out, %.0f s elapsed, ETA %.0f s   ",
                   static_cast<unsigned long long>(p.slices_done), static_cast<unsigned long long>(p.slices_total),
                   p.seconds, eta);
    };
  }
  const RunResult r = run_pi(config, MPI_COMM_WORLD, progress);
  if (rank == 0) {
    if (progress) std::fprintf(stderr, "\r\033[K");
    if (a.json) std::cout << to_json(r).dump() << '\n';
    else std::cout << to_text(r);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);

  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  app.require_subcommand(1);
  RunArgs run_args;
  add_run(app, run_args);

  int code = 0;
  try {
    std::string names;
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
      known = known || (argc > 1 && sub->get_name() == argv[1]);
    }
    if (argc > 1 && argv[1][0] != '-' && !known) {
      throw InputError("unknown subcommand '" + std::string(argv[1]) + "' (expected one of: " + names + ")");
    }
    app.parse(argc, argv);
    if (app.got_subcommand("run")) code = do_run(*app.get_subcommand("run"), run_args, rank);
  } catch (const CLI::CallForHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::engine::kInputErrorExit;
  } catch (const InputError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::engine::kInputErrorExit;
  }
  std::fflush(stdout);
  MPI_Finalize();
  return code;
}
