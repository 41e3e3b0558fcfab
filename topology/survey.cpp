// Survey gathering: JSON per rank, MPI_Gatherv to rank 0.
#include "topology/survey.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace hs::topology {
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

nlohmann::json to_json(const HostSummary& h) {
  nlohmann::json j = {{"host", h.host},
                      {"source", h.source},
                      {"packages", h.packages},
                      {"numa_nodes", h.numa_nodes},
                      {"l3_groups", h.l3_groups},
                      {"l2_groups", h.l2_groups},
                      {"cores", h.cores},
                      {"pus", h.pus},
                      {"smt", h.smt()},
                      {"memory_bytes", h.memory_bytes},
                      {"allowed_pus", h.allowed_pus},
                      {"core_of_pu", h.core_of_pu}};
  for (const auto& [key, list] : {std::pair{"package_list", &h.package_list}, std::pair{"numa_list", &h.numa_list},
                                  std::pair{"l3_list", &h.l3_list}}) {
    j[key] = nlohmann::json::array();
    for (const auto& g : *list) j[key].push_back(g);
  }
  return j;
}

HostSummary host_from_json(const nlohmann::json& j) {
  HostSummary h;
  h.host = j.at("host");
  h.source = j.at("source");
  h.packages = j.at("packages");
  h.numa_nodes = j.at("numa_nodes");
  h.l3_groups = j.at("l3_groups");
  h.l2_groups = j.at("l2_groups");
  h.cores = j.at("cores");
  h.pus = j.at("pus");
  h.memory_bytes = j.at("memory_bytes");
  h.allowed_pus = j.at("allowed_pus");
  h.core_of_pu = j.at("core_of_pu").get<std::vector<int>>();
  h.package_list = j.at("package_list").get<std::vector<Group>>();
  h.numa_list = j.at("numa_list").get<std::vector<Group>>();
  h.l3_list = j.at("l3_list").get<std::vector<Group>>();
  return h;
}

nlohmann::json thread_json(const ThreadPlacement& t) {
  return {{"thread", t.thread},
          {"pus", list_string(t.pus)},
          {"running_pu", t.running_pu},
          {"core", t.core},
          {"numa", t.numa}};
}

nlohmann::json to_json(const RankPlacement& r) {
  nlohmann::json threads = nlohmann::json::array();
  for (const auto& t : r.thread_list) {
    nlohmann::json tj = thread_json(t);
    tj["pus_values"] = t.pus;  // for the round trip; reports show the list string
    threads.push_back(tj);
  }
  return {{"rank", r.rank},
          {"host", r.host},
          {"isa", r.isa},
          {"pus", list_string(r.pus)},
          {"pus_values", r.pus},
          {"bound", r.bound},
          {"threads", r.threads},
          {"omp_num_threads_set", r.omp_num_threads_set},
          {"threads_given", r.threads_given},
          {"pinned", r.pinned},
          {"pin_note", r.pin_note},
          {"thread_list", threads}};
}

RankPlacement placement_from_json(const nlohmann::json& j) {
  RankPlacement r;
  r.rank = j.at("rank");
  r.host = j.at("host");
  r.isa = j.at("isa");
  r.pus = j.at("pus_values").get<std::vector<int>>();
  r.bound = j.at("bound");
  r.threads = j.at("threads");
  r.omp_num_threads_set = j.at("omp_num_threads_set");
  r.threads_given = j.at("threads_given");
  r.pinned = j.at("pinned");
  r.pin_note = j.at("pin_note");
  for (const auto& t : j.at("thread_list")) {
    ThreadPlacement p;
    p.thread = t.at("thread");
    p.pus = t.at("pus_values").get<std::vector<int>>();
    p.running_pu = t.at("running_pu");
    p.core = t.at("core");
    p.numa = t.at("numa");
    r.thread_list.push_back(p);
  }
  return r;
}

int shared_binding_offset(MPI_Comm comm, const std::vector<int>& binding, int threads) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int node_size = 1, node_rank = 0;
  MPI_Comm_size(node, &node_size);
  MPI_Comm_rank(node, &node_rank);
  struct Entry {
    unsigned long long key;
    int threads;
  };
  const Entry mine{std::hash<std::string>{}(list_string(binding)), threads};
  std::vector<Entry> all(static_cast<std::size_t>(node_size));
  MPI_Allgather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, node);
  MPI_Comm_free(&node);
  int offset = 0;
  for (int i = 0; i < node_rank; ++i)
    if (all[static_cast<std::size_t>(i)].key == mine.key) offset += all[static_cast<std::size_t>(i)].threads;
  return offset;
}

Survey gather_survey(MPI_Comm comm, const HostSummary& host, const RankPlacement& me) {
  const nlohmann::json mine = {{"host", to_json(host)}, {"placement", to_json(me)}};
  const auto all = gather_strings(comm, mine.dump());
  Survey s;
  for (const auto& text : all) {
    const auto j = nlohmann::json::parse(text);
    HostSummary h = host_from_json(j.at("host"));
    if (std::none_of(s.hosts.begin(), s.hosts.end(), [&](const HostSummary& x) { return x.host == h.host; }))
      s.hosts.push_back(std::move(h));
    s.ranks.push_back(placement_from_json(j.at("placement")));
  }
  if (!s.ranks.empty()) s.pitfalls = detect_pitfalls(s.hosts, s.ranks);
  return s;
}

}  // namespace hs::topology
