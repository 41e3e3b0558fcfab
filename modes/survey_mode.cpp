// `hyperslice hello` and `hyperslice topology`: the job's placement surveyed once (job/gather.hpp), the
// layout advice, and their reports.
#include <iostream>

#include "job/gather.hpp"
#include "launch/slurm.hpp"
#include "modes/modes.hpp"
#include "topology/layout.hpp"
#include "topology/survey_report.hpp"

namespace hs::modes {
namespace {

int world_size(MPI_Comm comm) {
  int n = 1;
  MPI_Comm_size(comm, &n);
  return n;
}

topology::LayoutRequest layout_request(const RecommendOptions& o) {
  topology::LayoutRequest req;
  req.smt = o.smt;
  req.ranks_per_node = o.ranks_per_node;
  req.ranks_per_node_what = "--ranks-per-node";
  req.program = {self_command(), "run"};
  req.launcher = o.slurm ? launch::Launcher::srun : launch::launcher_of_this_mpi();
  req.srun_mpi = launch::srun_mpi_plugin();
  req.time_limit = o.time_limit;
  req.nodes = o.nodes;
  if (!o.hostfile.empty()) {
    req.hostfile = o.hostfile;
    req.hosts = launch::read_hostfile(o.hostfile, "--hostfile");
  }
  return req;
}

}  // namespace

void hello_mode(const HelloModeOptions& o, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const auto machine = topology::Machine::this_host();
  const auto survey = survey_this_job(comm, machine, o.survey);
  if (rank != 0) return;
  print_warnings(survey.pitfalls);
  print_report(o.output, machine, topology::hello_json(survey, world_size(comm)),
               topology::hello_text(survey, world_size(comm)));
}

void topology_mode(const TopologyModeOptions& o, MPI_Comm comm) {
  using namespace topology;
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  // Every rank reads the hostfile and loads a given description, so every rank agrees on an error.
  std::optional<LayoutRequest> request;
  if (o.recommend) request = layout_request(*o.recommend);
  Survey survey;
  const Machine here = Machine::this_host();  // this host's: the survey, the advice (unless loaded), the context
  HostSummary mine;                           // what this rank checks the request against
  if (!o.synthetic.empty() || !o.input.empty()) {
    const Machine m = o.synthetic.empty() ? Machine::from_xml(o.input, "--input") : Machine::synthetic(o.synthetic, "--synthetic");
    survey.hosts.push_back(m.summary(o.synthetic.empty() ? o.input : "synthetic"));
    mine = survey.hosts.front();
  } else {
    survey = survey_this_job(comm, here, {});
    mine = rank == 0 ? survey.hosts.front() : here.summary("");
  }
  std::optional<Layout> layout;
  if (request) layout = recommend(mine, *request);
  if (rank != 0) return;
  print_warnings(survey.pitfalls);
  const auto& prov = o.output.provenance;
  if (o.recommend && o.recommend->slurm && !o.output.json)  // the script alone, so that `> job.sbatch` makes one
    std::cout << batch_script_text(*layout, context_line(prov, here));
  else
    print_report(o.output, here, topology_json(survey, layout), topology_text(survey, layout), 1);
}

}  // namespace hs::modes
