// Survey assembly and its JSON form (the round trip is what job/survey.cpp sends over MPI).
#include "topology/survey.hpp"

#include <algorithm>
#include <string>

namespace hs::topology {

void to_json(nlohmann::json& j, const Cache& c) {
  j = {{"level", c.level},
       {"type", c.type},
       {"index", c.where.index},
       {"size_bytes", c.size_bytes},
       {"line_bytes", c.line_bytes},
       {"cores", c.where.cores},
       {"pus", c.where.pus},
       {"cores_list", c.where.cores_list},
       {"pus_list", c.where.pus_list}};
}

void from_json(const nlohmann::json& j, Cache& c) {
  c.level = j.at("level");
  c.type = j.at("type");
  c.where.index = j.at("index");
  c.size_bytes = j.at("size_bytes");
  c.line_bytes = j.at("line_bytes");
  c.where.cores = j.at("cores");
  c.where.pus = j.at("pus");
  c.where.cores_list = j.at("cores_list");
  c.where.pus_list = j.at("pus_list");
}

nlohmann::json to_json(const HostSummary& h) {
  nlohmann::json j = {{"host", h.host},
                      {"source", h.source},
                      {"cpu_model", h.cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.cpu_model)},
                      {"packages", h.packages},
                      {"numa_nodes", h.numa_nodes},
                      {"cores", h.cores},
                      {"pus", h.pus},
                      {"smt", h.smt()},
                      {"memory_bytes", h.memory_bytes},
                      {"allowed_pus", h.allowed_pus},
                      {"core_of_pu", h.core_of_pu},
                      {"package_list", h.package_list},
                      {"numa_list", h.numa_list},
                      {"caches", h.caches},
                      {"smt_siblings", h.smt_siblings}};
  return j;
}

HostSummary host_from_json(const nlohmann::json& j) {
  HostSummary h;
  h.host = j.at("host");
  h.source = j.at("source");
  h.packages = j.at("packages");
  h.numa_nodes = j.at("numa_nodes");
  h.cpu_model = j.at("cpu_model").is_null() ? std::string() : j.at("cpu_model").get<std::string>();
  h.cores = j.at("cores");
  h.pus = j.at("pus");
  h.memory_bytes = j.at("memory_bytes");
  h.allowed_pus = j.at("allowed_pus");
  h.core_of_pu = j.at("core_of_pu").get<std::vector<int>>();
  h.package_list = j.at("package_list").get<std::vector<Group>>();
  h.numa_list = j.at("numa_list").get<std::vector<Group>>();
  h.caches = j.at("caches").get<std::vector<Cache>>();
  h.smt_siblings = j.at("smt_siblings").get<std::vector<std::string>>();
  return h;
}

namespace {

nlohmann::json thread_json(const ThreadPlacement& t) {
  return {{"thread", t.thread},
          {"pus", list_string(t.pus)},
          {"running_pu", t.running_pu},
          {"core", t.core},
          {"numa", t.numa}};
}

nlohmann::json slurm_json(const std::optional<SlurmTask>& t) {
  if (!t) return nullptr;
  return {{"job_id", t->job_id},
          {"step_id", t->step_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(t->step_id)},
          {"node", t->node},
          {"cpus_per_task", t->cpus_per_task > 0 ? nlohmann::json(t->cpus_per_task) : nlohmann::json(nullptr)},
          {"srun", t->srun}};
}

std::optional<SlurmTask> slurm_from_json(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  SlurmTask t;
  t.job_id = j.at("job_id");
  t.step_id = j.at("step_id").is_null() ? std::string() : j.at("step_id").get<std::string>();
  t.node = j.at("node");
  t.cpus_per_task = j.at("cpus_per_task").is_null() ? 0 : j.at("cpus_per_task").get<int>();
  t.srun = j.at("srun");
  return t;
}

}  // namespace

nlohmann::json placement_json(const RankPlacement& r) {
  nlohmann::json bindings = nlohmann::json::array();
  for (const auto& t : r.thread_list) bindings.push_back(thread_json(t));
  return {{"rank", r.rank},
          {"host", r.host},
          {"isa", r.isa},
          {"isa_available", r.isa_available},
          {"pus", list_string(r.pus)},
          {"bound", r.bound},
          {"threads", r.threads},
          {"omp_num_threads_set", r.omp_num_threads_set},
          {"threads_given", r.threads_given},
          {"pinned", r.pinned},
          {"pin_note", r.pin_note},
          {"bindings", bindings},
          {"slurm", slurm_json(r.slurm)}};
}

nlohmann::json to_json(const RankPlacement& r) {
  nlohmann::json j = placement_json(r);
  j["pus_values"] = r.pus;
  for (std::size_t i = 0; i < r.thread_list.size(); ++i) j["bindings"][i]["pus_values"] = r.thread_list[i].pus;
  return j;
}

RankPlacement placement_from_json(const nlohmann::json& j) {
  RankPlacement r;
  r.rank = j.at("rank");
  r.host = j.at("host");
  r.isa = j.at("isa");
  r.isa_available = j.at("isa_available");
  r.pus = j.at("pus_values").get<std::vector<int>>();
  r.bound = j.at("bound");
  r.threads = j.at("threads");
  r.omp_num_threads_set = j.at("omp_num_threads_set");
  r.threads_given = j.at("threads_given");
  r.pinned = j.at("pinned");
  r.pin_note = j.at("pin_note");
  r.slurm = slurm_from_json(j.at("slurm"));
  for (const auto& t : j.at("bindings")) {
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

Survey make_survey(const std::vector<std::pair<HostSummary, RankPlacement>>& by_rank, Launcher launcher) {
  Survey s;
  for (const auto& entry : by_rank) {  // not a structured binding: clang 14 cannot capture those
    const HostSummary& h = entry.first;
    if (std::none_of(s.hosts.begin(), s.hosts.end(), [&](const HostSummary& x) { return x.host == h.host; }))
      s.hosts.push_back(h);
    s.ranks.push_back(entry.second);
  }
  if (!s.ranks.empty()) s.pitfalls = detect_pitfalls(s.hosts, s.ranks, launcher);
  return s;
}

std::string isa_of(const Survey& s) {
  std::string isa;
  for (const auto& r : s.ranks) isa = isa.empty() || isa == r.isa ? r.isa : "mixed";
  return isa;
}

}  // namespace hs::topology
