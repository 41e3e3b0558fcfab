// hyperslice: the thin executable. Parses the command line (the same on every rank), calls the
// libraries, prints on rank 0. Input errors become one stderr line from rank 0 and exit 2 everywhere.
#include <mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "engine/config.hpp"
#include "engine/error.hpp"
#include "engine/report.hpp"
#include "engine/run.hpp"
#include "kernels/series.hpp"
#include "topology/error.hpp"
#include "topology/layout.hpp"
#include "topology/report.hpp"

namespace {

using hs::engine::InputError;

struct Args {
  // run
  std::string config, kernel, terms, slices, slice_size, schedule, threads, isa;
  std::string checkpoint, checkpoint_every, fail_timeout;
  bool json = false, quiet = false, no_pin = false, resume = false, force = false;
  // topology
  std::string synthetic, input, hostfile, ranks_per_node = "auto";
  bool recommend = false, smt = false;
};

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int world_size() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

void print_warnings(const hs::topology::Survey& s) {
  for (const auto& p : s.pitfalls) std::fprintf(stderr, "hyperslice: warning: %s\n", p.message.c_str());
}

void add_run(CLI::App& app, Args& a) {
  auto* run =
      app.add_subcommand("run", "Compute pi from a series, sliced over MPI ranks, OpenMP threads and SIMD lanes");
  run->add_option("--terms", a.terms, "Total terms N (e.g. 128000000 or 1.28e8)");
  run->add_option("--slices", a.slices, "Number of slices handed out (default 128)");
  run->add_option("--slice-size", a.slice_size,
                  "Terms per slice, the seed's way: N = slices x slice-size (default 1000000)");
  run->add_option("--kernel", a.kernel, "leibniz | leibniz-paired | midpoint (default leibniz)");
  run->add_option("--schedule", a.schedule,
                  "static | dynamic (default dynamic: rank 0 hands out slices and computes too)");
  run->add_option("--threads", a.threads,
                  "OpenMP threads per rank (default OMP_NUM_THREADS, else the rank's bound cores)");
  run->add_option("--isa", a.isa, "auto | scalar | sse2 | avx2 | avx512 (default auto: best per rank)");
  run->add_option("--config", a.config, "TOML run config; command-line options override its values");
  run->add_flag("--json", a.json, "Print one JSON object on stdout");
  run->add_flag("--quiet", a.quiet, "No progress line");
  run->add_flag("--no-pin", a.no_pin, "Do not pin OpenMP threads to cores");
  run->add_option("--checkpoint", a.checkpoint,
                  "Record finished slices and their exact sum in FILE, atomically, as the run goes");
  run->add_flag("--resume", a.resume, "Continue from --checkpoint FILE (any ranks, threads, nodes; same bits)");
  run->add_flag("--force", a.force,
                "Start afresh over an existing checkpoint at --checkpoint FILE (nothing else is ever overwritten)");
  run->add_option("--checkpoint-every", a.checkpoint_every, "Seconds between checkpoint writes (default 2)");
  run->add_option("--fail-timeout", a.fail_timeout,
                  "Seconds of silence before rank 0 declares a rank lost (default 30)");
}

void add_hello(CLI::App& app, Args& a) {
  auto* hello = app.add_subcommand("hello", "The seed's hello world per rank, then where every rank and thread runs");
  hello->add_option("--threads", a.threads, "OpenMP threads per rank (default as for run)");
  hello->add_flag("--json", a.json, "Print one JSON object on stdout");
  hello->add_flag("--no-pin", a.no_pin, "Do not pin threads (show where the OS and OpenMP put them)");
}

void add_topology(CLI::App& app, Args& a) {
  auto* topo = app.add_subcommand("topology", "Each host's hardware (hwloc), ranks per host, and layout advice");
  topo->add_flag("--json", a.json, "Print one JSON object on stdout");
  auto* syn =
      topo->add_option("--synthetic", a.synthetic,
                       "An hwloc synthetic topology instead of this host's, e.g. \"pack:2 numa:2 core:8 pu:2\"");
  topo->add_option("--input", a.input, "An hwloc XML topology file (lstopo --of xml) instead of this host's")
      ->excludes(syn);
  topo->add_flag("--recommend", a.recommend, "Recommend a ranks x threads layout and the mpirun line for it");
  topo->add_option("--hostfile", a.hostfile, "With --recommend: an Open MPI hostfile; the layout covers its nodes");
  topo->add_option("--ranks-per-node", a.ranks_per_node, "With --recommend: auto (default) or a number");
  topo->add_flag("--smt", a.smt, "With --recommend: use SMT hardware threads, not just cores");
}

int do_run(const CLI::App& run, const Args& a, int rank) {
  using namespace hs::engine;
  RunOptions cli;
  auto given = [&](const char* flag) { return run.get_option(flag)->count() > 0; };
  if (given("--kernel")) cli.kernel = parse_kernel_name("--kernel", a.kernel);
  if (given("--terms")) cli.terms = parse_count("--terms", a.terms);
  if (given("--slices")) cli.slices = parse_count("--slices", a.slices);
  if (given("--slice-size")) cli.slice_size = parse_count("--slice-size", a.slice_size);
  if (given("--schedule")) cli.schedule = parse_schedule_name("--schedule", a.schedule);
  if (given("--threads")) cli.threads = parse_threads("--threads", a.threads);
  if (given("--isa")) {
    cli.isa = parse_isa_name("--isa", a.isa);
    cli.isa_auto = !cli.isa;
  }
  if (a.no_pin) cli.pin = false;
  if (given("--checkpoint")) cli.checkpoint = a.checkpoint;
  cli.resume = a.resume;
  cli.force = a.force;
  if (given("--checkpoint-every")) cli.checkpoint_every = parse_seconds("--checkpoint-every", a.checkpoint_every);
  if (given("--fail-timeout")) cli.fail_timeout = parse_seconds("--fail-timeout", a.fail_timeout);
  const RunOptions file = a.config.empty() ? RunOptions{} : read_config_file(a.config);
  const RunConfig config = resolve(file, cli);

  RunHooks hooks;
  hooks.on_start = print_warnings;
  if (rank == 0 && !a.quiet && !a.json && isatty(STDERR_FILENO)) {
    hooks.progress = [shown = false](const Progress& p) mutable {
      if (p.seconds < 2.0 && !shown) return;
      shown = true;
      const double frac = p.slices_total ? static_cast<double>(p.slices_done) / static_cast<double>(p.slices_total) : 0;
      const double eta = frac > 0 ? p.seconds * (1 - frac) / frac : 0;
      std::fprintf(stderr, "\rhyperslice: %llu/%llu slices done, %.0f s elapsed, ETA %.0f s   ",
                   static_cast<unsigned long long>(p.slices_done), static_cast<unsigned long long>(p.slices_total),
                   p.seconds, eta);
    };
  }
  const RunResult r = run_pi(config, MPI_COMM_WORLD, hooks);
  if (rank == 0) {
    if (hooks.progress) std::fprintf(stderr, "\r\033[K");
    if (a.json)
      std::cout << to_json(r).dump() << '\n';
    else
      std::cout << to_text(r);
  }
  return 0;
}

hs::topology::Survey survey_this_job(const hs::topology::Machine& machine, const Args& a, bool threads_given) {
  const int threads =
      hs::engine::resolve_threads(threads_given ? hs::engine::parse_threads("--threads", a.threads) : 0);
  const auto pinner = hs::engine::make_pinner(MPI_COMM_WORLD, machine, !a.no_pin, threads);
  return hs::engine::survey_ranks(MPI_COMM_WORLD, *pinner, threads, threads_given,
                                  std::string(hs::kernels::name(hs::kernels::best_isa())));
}

int do_hello(const CLI::App& hello, const Args& a, int rank) {
  const auto machine = hs::topology::Machine::this_host();
  const auto survey = survey_this_job(machine, a, hello.get_option("--threads")->count() > 0);
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << hs::topology::hello_json(survey, world_size()).dump() << '\n';
    else
      std::cout << hs::topology::hello_text(survey, world_size());
  }
  return 0;
}

int do_topology(const CLI::App& topo, const Args& a, int rank) {
  using namespace hs::topology;
  std::optional<LayoutRequest> request;
  if ((topo.get_option("--hostfile")->count() || topo.get_option("--ranks-per-node")->count() || a.smt) && !a.recommend)
    throw TopologyError("--hostfile, --ranks-per-node and --smt go with --recommend");
  if (a.recommend) {
    LayoutRequest req;
    req.smt = a.smt;
    if (a.ranks_per_node != "auto")
      req.ranks_per_node = hs::engine::parse_threads("--ranks-per-node", a.ranks_per_node);
    if (!a.hostfile.empty()) {
      req.hostfile = a.hostfile;
      req.hosts = read_hostfile(a.hostfile);
    }
    request = req;
  }
  Survey survey;
  const bool loaded = !a.synthetic.empty() || !a.input.empty();
  if (loaded) {
    // Every rank loads it, so every rank agrees on a bad description; rank 0 reports.
    const Machine m = a.synthetic.empty() ? Machine::from_xml(a.input) : Machine::synthetic(a.synthetic);
    survey.hosts.push_back(m.summary(a.synthetic.empty() ? a.input : "synthetic"));
  } else {
    survey = survey_this_job(Machine::this_host(), a, false);
  }
  std::optional<Layout> layout;
  if (request) {
    if (rank == 0)
      layout = recommend(survey.hosts.front(), *request);
    else if (loaded)
      layout = recommend(survey.hosts.front(), *request);  // same verdict on every rank
    else {
      HostSummary local = Machine::this_host().summary("");
      layout = recommend(local, *request);
    }
  }
  if (rank == 0) {
    print_warnings(survey);
    if (a.json)
      std::cout << topology_json(survey, layout).dump(1) << '\n';
    else
      std::cout << topology_text(survey, layout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  const int rank = world_rank();

  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  app.require_subcommand(1);
  Args args;
  add_run(app, args);
  add_hello(app, args);
  add_topology(app, args);

  int code = 0;
  try {
    std::string names;
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
      known = known || (argc > 1 && sub->get_name() == argv[1]);
    }
    if (argc > 1 && argv[1][0] != '-' && !known)
      throw InputError("unknown subcommand '" + std::string(argv[1]) + "' (expected one of: " + names + ")");
    app.parse(argc, argv);
    if (app.got_subcommand("run")) code = do_run(*app.get_subcommand("run"), args, rank);
    if (app.got_subcommand("hello")) code = do_hello(*app.get_subcommand("hello"), args, rank);
    if (app.got_subcommand("topology")) code = do_topology(*app.get_subcommand("topology"), args, rank);
  } catch (const CLI::CallForHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (rank == 0) app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::engine::kInputErrorExit;
  } catch (const hs::UserError& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    code = hs::kUserErrorExit;
  } catch (const hs::engine::Interrupted& e) {
    if (rank == 0) std::fprintf(stderr, "hyperslice: %s\n", e.what());
    code = 128 + e.signal();
  } catch (const hs::engine::JobFailure& e) {
    // A fault, not an input error: other ranks may be blocked on the lost one, so the job is aborted.
    std::fprintf(stderr, "hyperslice: error: %s\n", e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, hs::engine::kJobFailureExit);
  } catch (const std::exception& e) {
    // Anything else is a fault on this rank: name it, and end the job rather than leave others waiting.
    std::fprintf(stderr, "hyperslice: error: rank %d on %s: %s\n", rank, hs::engine::host_name().c_str(), e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, hs::engine::kJobFailureExit);
  }
  std::fflush(stdout);
  MPI_Finalize();
  return code;
}
