// Survey gathering: each rank's facts as JSON, MPI_Gatherv to rank 0.
#include "job/gather.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "base/version.hpp"
#include "job/context.hpp"
#include "job/pinning.hpp"
#include "launch/slurm.hpp"

namespace hs::job {
namespace {

std::vector<std::string> gather_strings(MPI_Comm comm, const std::string& mine) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const int len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<std::size_t>(size)), offs(static_cast<std::size_t>(size));
  MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, comm);
  std::string all;
  if (rank == 0) {
    int total = 0;
    for (int i = 0; i < size; ++i) {
      offs[static_cast<std::size_t>(i)] = total;
      total += lens[static_cast<std::size_t>(i)];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offs.data(), MPI_CHAR, 0, comm);
  std::vector<std::string> out;
  if (rank == 0)
    for (int i = 0; i < size; ++i)
      out.push_back(all.substr(static_cast<std::size_t>(offs[static_cast<std::size_t>(i)]),
                               static_cast<std::size_t>(lens[static_cast<std::size_t>(i)])));
  return out;
}

}  // namespace

std::string host_name() {
  char buf[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

topology::Survey survey_ranks(MPI_Comm comm, const topology::ThreadPinner& pinner, const SurveyRequest& request) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  topology::RankPlacement me = observe_rank(pinner, request.threads);
  me.rank = rank;
  me.host = host_name();
  me.arch = build_info().architecture;
  me.isa = request.isa;
  me.isa_available = request.isa_available;
  me.omp_num_threads_set = std::getenv("OMP_NUM_THREADS") != nullptr;
  me.threads_given = request.threads_given;
  me.slurm = launch::slurm_task();
  const nlohmann::json mine = {{"host", topology::to_json(pinner.machine().summary(me.host))},
                               {"placement", topology::to_json(me)}};
  std::vector<std::pair<topology::HostSummary, topology::RankPlacement>> by_rank;
  for (const auto& text : gather_strings(comm, mine.dump())) {
    const auto j = nlohmann::json::parse(text);
    by_rank.emplace_back(topology::host_from_json(j.at("host")), topology::placement_from_json(j.at("placement")));
  }
  // Advice in the dialect of what started the job (launch::launcher_of_this_job: srun's when the ranks
  // are its own tasks); rank 0's view is the one printed.
  return topology::make_survey(by_rank, launch::launcher_of_this_job());
}

std::vector<nlohmann::json> gather_json(MPI_Comm comm, const nlohmann::json& mine) {
  std::vector<nlohmann::json> out;
  for (const auto& text : gather_strings(comm, mine.dump())) out.push_back(nlohmann::json::parse(text));
  return out;
}

std::string agree(MPI_Comm comm, std::string verdict) {
  int len = static_cast<int>(verdict.size());
  MPI_Bcast(&len, 1, MPI_INT, 0, comm);
  verdict.resize(static_cast<std::size_t>(len));
  MPI_Bcast(verdict.data(), len, MPI_CHAR, 0, comm);
  return verdict;
}

}  // namespace hs::job
