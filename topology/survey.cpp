// Survey assembly and its JSON form (the round trip is what job/gather.cpp sends over MPI).
#include "topology/survey.hpp"

#include <algorithm>
#include <string>

namespace hs::topology {
namespace {

// Each type's plain fields, listed once: `f(key, member)` for every one, on a const object when writing
// JSON and on a mutable one when reading it back (the fields needing a form of their own are beside).
template <class CacheT, class F>
void cache_fields(CacheT& c, F&& f) {
  f("level", c.level); f("type", c.type); f("index", c.where.index); f("size_bytes", c.size_bytes);
  f("line_bytes", c.line_bytes); f("cores", c.where.cores); f("pus", c.where.pus);
  f("cores_list", c.where.cores_list); f("pus_list", c.where.pus_list);
}
template <class Host, class F>
void host_fields(Host& h, F&& f) {
  f("host", h.host); f("source", h.source); f("packages", h.packages); f("numa_nodes", h.numa_nodes);
  f("cores", h.cores); f("pus", h.pus); f("memory_bytes", h.memory_bytes); f("allowed_pus", h.allowed_pus);
  f("core_of_pu", h.core_of_pu); f("package_list", h.package_list); f("numa_list", h.numa_list);
  f("caches", h.caches); f("smt_siblings", h.smt_siblings);
}
template <class Rank, class F>
void rank_fields(Rank& r, F&& f) {
  f("rank", r.rank); f("host", r.host); f("arch", r.arch); f("isa", r.isa); f("isa_available", r.isa_available); f("bound", r.bound);
  f("threads", r.threads); f("omp_num_threads_set", r.omp_num_threads_set); f("threads_given", r.threads_given);
  f("pinned", r.pinned); f("pin_note", r.pin_note);
}
template <class Thread, class F>
void thread_fields(Thread& t, F&& f) {
  f("thread", t.thread); f("running_pu", t.running_pu); f("core", t.core); f("numa", t.numa);
}

auto writer(nlohmann::json& j) {
  return [&j](const char* key, const auto& value) { j[key] = value; };
}
auto reader(const nlohmann::json& j) {
  return [&j](const char* key, auto& value) { j.at(key).get_to(value); };
}

}  // namespace

void to_json(nlohmann::json& j, const Cache& c) {
  j = nlohmann::json::object();
  cache_fields(c, writer(j));
}

void from_json(const nlohmann::json& j, Cache& c) { cache_fields(c, reader(j)); }

nlohmann::json to_json(const HostSummary& h) {
  nlohmann::json j = nlohmann::json::object();
  host_fields(h, writer(j));
  j["cpu_model"] = h.cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.cpu_model);
  j["smt"] = h.smt();
  return j;
}

HostSummary host_from_json(const nlohmann::json& j) {
  HostSummary h;
  host_fields(h, reader(j));
  h.cpu_model = j.at("cpu_model").is_null() ? std::string() : j.at("cpu_model").get<std::string>();
  return h;
}

namespace {

nlohmann::json thread_json(const ThreadPlacement& t) {
  nlohmann::json j = {{"pus", list_string(t.pus)}};
  thread_fields(t, writer(j));
  return j;
}

nlohmann::json slurm_json(const std::optional<launch::SlurmTask>& t) {
  if (!t) return nullptr;
  return {{"job_id", t->job_id},
          {"step_id", t->step_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(t->step_id)},
          {"node", t->node},
          {"cpus_per_task", t->cpus_per_task > 0 ? nlohmann::json(t->cpus_per_task) : nlohmann::json(nullptr)},
          {"srun", t->srun}};
}

std::optional<launch::SlurmTask> slurm_from_json(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  launch::SlurmTask t;
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
  nlohmann::json j = {{"pus", list_string(r.pus)}, {"bindings", bindings}, {"slurm", slurm_json(r.slurm)}};
  rank_fields(r, writer(j));
  return j;
}

nlohmann::json to_json(const RankPlacement& r) {
  nlohmann::json j = placement_json(r);
  j["pus_values"] = r.pus;
  for (std::size_t i = 0; i < r.thread_list.size(); ++i) j["bindings"][i]["pus_values"] = r.thread_list[i].pus;
  return j;
}

RankPlacement placement_from_json(const nlohmann::json& j) {
  RankPlacement r;
  rank_fields(r, reader(j));
  r.pus = j.at("pus_values").get<std::vector<int>>();
  r.slurm = slurm_from_json(j.at("slurm"));
  for (const auto& t : j.at("bindings")) {
    ThreadPlacement p;
    thread_fields(p, reader(t));
    p.pus = t.at("pus_values").get<std::vector<int>>();
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
