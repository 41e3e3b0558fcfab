// `hyperslice check` (and `check --node`, below): one pinned thread per rank (the survey pins it and
// checks the layout), every rank measures at once (its core, its memory, then the links pattern, the one
// stage that needs MPI), rank 0 gathers and judges (check/check.hpp), against a baseline when one is
// given; a core, memory or link that fails is measured a second time, every rank at once, before its
// node or link fails. Then rank 0 reports, and saves the report as a baseline when asked. A baseline's
// problems are found before anything is measured.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <barrier>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "base/user_error.hpp"
#include "check/check.hpp"
#include "check/expect.hpp"
#include "job/gather.hpp"
#include "launch/slurm_drain.hpp"
#include "modes/modes.hpp"
#include "topology/survey_report.hpp"

namespace hs::modes {
namespace {

// Rank 0's objection to the baseline options ("" if none), before any measurement.
std::string baseline_problem(const CheckModeOptions& o, std::optional<check::Baseline>& baseline) {
  try {
    if (!o.baseline.empty()) baseline = check::read_baseline("--baseline", o.baseline);
    if (!o.save_baseline.empty()) {
      const auto dir = std::filesystem::absolute(o.save_baseline).parent_path();
      if (std::filesystem::is_directory(o.save_baseline))
        return fmt::format("--save-baseline: '{}' is a folder; name the file to write", o.save_baseline);
      if (access(dir.c_str(), W_OK) != 0)
        return fmt::format("--save-baseline: cannot write into '{}': {}", dir.string(), std::strerror(errno));
    }
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// The JSON report (context included) into `path`, whole or not at all: written beside it, then renamed.
void save_baseline(const std::string& path, const nlohmann::json& report) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << report.dump(1) << '\n';
    if (!out.flush()) throw UserError(fmt::format("--save-baseline: cannot write '{}'", tmp));
  }
  std::filesystem::rename(tmp, path);
}

// The first failing finding's words, for the drain reason: "NODE: stage: message".
std::string first_failure(const check::CheckReport& r) {
  for (const auto& n : r.nodes)
    for (const auto& f : n.findings)
      if (f.status == check::Status::fail) return fmt::format("{}: {}", f.stage, f.message);
  for (const auto& f : r.cluster_findings)
    if (f.status == check::Status::fail) return fmt::format("{}: {}", f.stage, f.message);
  return "the check failed";
}

// The facts judged: against each other (peers of a CPU model, the links' median) and, when given, the
// baseline -- before "slow twice" (below), so that a core or link below its baseline is measured again too.
check::CheckReport judged(std::vector<check::RankFacts> facts, std::vector<topology::Pitfall> pitfalls,
                          const check::CheckOptions& options, const std::optional<check::Baseline>& baseline) {
  auto report = check::judge(std::move(facts), std::move(pitfalls), options);
  if (baseline) check::judge_against(report, *baseline);
  return report;
}

// Where the job ran, for the report's drawings: each host's topology with its ranks, and each rank's
// placement (a --node check: this host alone, no ranks).
nlohmann::json where_it_ran(const topology::Survey& survey) {
  nlohmann::json placement = nlohmann::json::array();
  for (const auto& r : survey.ranks) placement.push_back(topology::placement_json(r));
  return {{"hosts", topology::topology_json(survey, std::nullopt).at("hosts")}, {"placement", placement}};
}

// The end both ways share: reported (and drawn, with --html), saved as a baseline, drained.
Outcome finish(const CheckModeOptions& o, const topology::Machine& machine, const check::CheckReport& report,
               const nlohmann::json& where) {
  print_warnings(report.warnings);
  auto json = check::to_json(report);
  json.update(where);
  print_report(o.output, machine, json, check::to_text(report), 1);
  if (!o.html.empty())
    write_html(o.html, {report::Document{"this check", report::Kind::check, with_context(json, o.output.provenance, machine)}});
  if (!o.save_baseline.empty()) {
    if (report.status == check::Status::fail)
      std::fprintf(stderr, "hyperslice: warning: --save-baseline: not saved, since the check failed: a baseline "
                           "must describe a cluster in good order\n");
    else
      save_baseline(o.save_baseline, with_context(json, o.output.provenance, machine));
  }
  const bool failed = report.status == check::Status::fail;
  if (o.drain) {
    const auto d = launch::drain_or_resume(launch::slurm_node_name(), failed, first_failure(report));
    std::fprintf(stderr, "hyperslice: %s%s\n", d.ok ? "" : "warning: ", d.words.c_str());
    if (d.ok) return Outcome::ok;  // the node's Slurm state is the verdict now (and slurmd may wait for 0)
  }
  return failed ? Outcome::check_failed : Outcome::ok;
}

Outcome check_node_mode(const CheckModeOptions& o, MPI_Comm comm);

// Before a node fails for a slow core or slow memory, or a link for its bandwidth (among its peers or
// below the baseline), it must be slow twice: a neighbour's burst on a shared machine (or a sibling
// hyperthread's, or another job's traffic) is not a broken node or cable. What the first round found
// slow: "rates" (a core or memory), "links".
std::string measured_slow(const check::CheckReport& report) {
  bool rates = false, links = false;
  const auto note = [&](const check::Finding& f) {
    if (f.status != check::Status::fail) return;
    rates = rates || f.stage == "compute" || f.stage == "memory";
    links = links || f.stage == "links";
  };
  for (const auto& n : report.nodes)
    for (const auto& f : n.findings) note(f);
  for (const auto& f : report.cluster_findings) note(f);
  return std::string(rates ? "rates" : "") + (rates && links ? "," : "") + (links ? "links" : "");
}
// The second round: what `slow` names again (what it measures better replaces the first round's).
check::CheckOptions again_options(check::CheckOptions o, const std::string& slow) {
  const bool rates = slow.find("rates") != std::string::npos;
  o.placement = o.bits = false;
  o.compute = o.compute && rates, o.memory = o.memory && rates;
  o.links = o.links && slow.find("links") != std::string::npos;
  return o;
}

}  // namespace

Outcome check_mode(const CheckModeOptions& o, MPI_Comm comm) {
  if (o.node) return check_node_mode(o, comm);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::optional<check::Baseline> baseline;
  const auto problems = [&] {
    const auto p = baseline_problem(o, baseline);
    return p.empty() ? html_problem(o.html) : p;
  };
  if (const auto problem = job::agree(comm, rank == 0 ? problems() : ""); !problem.empty()) throw UserError(problem);
  const auto machine = topology::Machine::this_host();
  const auto survey = survey_this_job(comm, machine, {1, true});  // one pinned thread per rank
  MPI_Barrier(comm);  // all ranks measure together: the load a run puts on a node
  auto mine = check::measure_this_rank(o.check, rank, job::host_name(), machine, [comm] { MPI_Barrier(comm); });
  if (o.check.links) mine.links = measure::bench_link_pattern(comm, o.check.link_steps);  // every rank at once
  auto facts_of = [](const std::vector<nlohmann::json>& all) {
    std::vector<check::RankFacts> facts;
    for (const auto& j : all) facts.push_back(check::rank_facts_from_json(j));
    return facts;
  };
  auto all = job::gather_json(comm, check::to_json(mine));
  std::vector<check::RankFacts> facts;
  std::optional<check::CheckReport> report;
  const auto judge_job = [&](std::vector<check::RankFacts> f) {  // rank 0: peers, baseline, --expect's layout
    auto r = judged(std::move(f), survey.pitfalls, o.check, baseline);
    if (o.expect && o.check.placement) check::judge_expectation(r, survey, *o.expect);
    return r;
  };
  if (rank == 0) {
    facts = facts_of(all);
    report = judge_job(facts);
  }
  // Slow twice before a node or link fails (see measured_slow): rank 0 decides, every rank measures again.
  if (const auto slow = job::agree(comm, rank == 0 ? measured_slow(*report) : ""); !slow.empty()) {
    const auto again = again_options(o.check, slow);
    MPI_Barrier(comm);
    auto second = check::measure_this_rank(again, rank, job::host_name(), machine, [comm] { MPI_Barrier(comm); });
    if (again.links) second.links = measure::bench_link_pattern(comm, again.link_steps);
    all = job::gather_json(comm, check::to_json(second));
    if (rank == 0) {
      const auto seconds = facts_of(all);
      for (std::size_t i = 0; i < facts.size(); ++i) check::keep_better(facts[i], seconds[i]);
      report = judge_job(std::move(facts));
    }
  }
  if (rank != 0) return Outcome::ok;
  return finish(o, machine, *report, where_it_ran(survey));
}

namespace {
// One round of measurements on `threads` pinned threads, all at once, as a job's ranks measure.
std::vector<check::RankFacts> measure_team(const check::CheckOptions& options, const topology::ThreadPinner& pinner,
                                           const topology::Machine& machine, int threads) {
  std::vector<check::RankFacts> facts(static_cast<std::size_t>(threads));
  std::vector<std::exception_ptr> errors(facts.size());
  std::barrier sync(threads);
  {
    const std::string host = job::host_name();
    std::vector<std::jthread> team;
    for (int t = 0; t < threads; ++t)
      team.emplace_back([&, t] {
        const auto i = static_cast<std::size_t>(t);
        try {
          pinner.pin(t);
          sync.arrive_and_wait();  // every core starts together, as a job's ranks do
          facts[i] = check::measure_this_rank(options, t, host, machine, [&] { sync.arrive_and_wait(); });
        } catch (...) {
          errors[i] = std::current_exception();
          sync.arrive_and_drop();  // the others need not wait for it
        }
      });
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return facts;
}

// --node: this node from one process, one pinned thread per core of its binding standing for a rank,
// all measuring at once (their memory passes lined up by a barrier); no links stage.
Outcome check_node_mode(const CheckModeOptions& o, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  if (size != 1)
    throw UserError(fmt::format("--node checks this node from one process, one thread per core: run it without "
                                "mpirun or srun (as Slurm's HealthCheckProgram does), not as {} ranks", size));
  std::optional<check::Baseline> baseline;
  if (auto problem = baseline_problem(o, baseline); !problem.empty() || !(problem = html_problem(o.html)).empty())
    throw UserError(problem);
  const auto machine = topology::Machine::this_host();
  const topology::ThreadPinner pinner(machine, true);
  const int all_cores = machine.summary("").cores;
  const int threads = std::max<int>(1, static_cast<int>(machine.cores_of(pinner.binding()).size()));
  std::vector<topology::Pitfall> pitfalls;
  if (threads < all_cores)
    pitfalls.push_back({"node_restricted", fmt::format("this process may use {} of the host's {} cores (a cpuset, "
                                                       "taskset or Slurm binding): only those are checked",
                                                       threads, all_cores)});
  if (!pinner.active())
    pitfalls.push_back({"not_pinned", fmt::format("the threads are not pinned ({}): cores may be measured twice",
                                                  pinner.note())});
  auto options = o.check;
  options.links = false;  // one process: no MPI links to measure
  options.node = true;
  auto facts = measure_team(options, pinner, machine, threads);
  auto report = judged(facts, pitfalls, options, baseline);
  if (const auto slow = measured_slow(report); !slow.empty()) {  // slow twice before it fails (and drains)
    const auto second = measure_team(again_options(options, slow), pinner, machine, threads);
    for (std::size_t i = 0; i < facts.size(); ++i) check::keep_better(facts[i], second[i]);
    report = judged(std::move(facts), std::move(pitfalls), options, baseline);
  }
  topology::Survey here;
  here.hosts.push_back(machine.summary(job::host_name()));
  return finish(o, machine, report, where_it_ran(here));
}
}  // namespace

}  // namespace hs::modes
