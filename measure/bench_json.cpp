// A bench report as JSON (docs/schema/bench.schema.json), and a rank's part read back.
#include "measure/bench.hpp"

#include "measure/bench_views.hpp"

namespace hs::measure {

using namespace detail;

nlohmann::json to_json(const RankBench& r) {
  nlohmann::json probes = nlohmann::json::array(), results = nlohmann::json::array();
  for (const auto& p : r.node.probes)
    probes.push_back({{"isa", name_of(p.isa)}, {"divider_probe", sample_json(p.divider)}, {"addmul_probe", sample_json(p.addmul)}});
  for (const auto& k : r.node.results) {
    double divider = 0, addmul = 0;
    for (const auto& p : r.node.probes)
      if (p.isa == k.isa) {
        divider = p.divider.median;
        addmul = p.addmul.median;
      }
    results.push_back({{"kernel", name_of(k.kernel)},
                       {"isa", name_of(k.isa)},
                       {"terms_per_second", k.terms.median},
                       {"terms", sample_json(k.terms)},
                       {"divider_probe", divider},
                       {"addmul_probe", addmul},
                       {"ceiling", k.ceiling.terms_per_second},
                       {"binding", k.ceiling.divider_bound ? "divider" : "add/multiply"},
                       {"fraction", k.fraction()}});
  }
  return {{"rank", r.rank}, {"host", r.host}, {"cpu_model", r.cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.cpu_model)},
          {"probes", probes}, {"results", results}};
}

RankBench rank_bench_from_json(const nlohmann::json& j) {
  RankBench r;
  r.rank = j.at("rank");
  r.host = j.at("host");
  r.cpu_model = j.at("cpu_model").is_null() ? std::string() : j.at("cpu_model").get<std::string>();
  for (const auto& p : j.at("probes"))
    r.node.probes.push_back({kernels::parse_isa(p.at("isa").get<std::string>()).value(), sample_from_json(p.at("divider_probe")),
                             sample_from_json(p.at("addmul_probe"))});
  for (const auto& k : j.at("results"))
    r.node.results.push_back({*kernels::parse_kernel(k.at("kernel").get<std::string>()),
                              kernels::parse_isa(k.at("isa").get<std::string>()).value(), sample_from_json(k.at("terms")),
                              {k.at("ceiling").get<double>(), k.at("binding") == "divider"}});
  return r;
}

nlohmann::json to_json(const BenchReport& r) {
  nlohmann::json per_rank = nlohmann::json::array(), hosts = nlohmann::json::array(), links = nlohmann::json::array();
  for (const auto& rb : r.ranks) per_rank.push_back(to_json(rb));
  for (const auto& [host, ranks] : by_host(r)) {
    std::vector<int> ids;
    const RankBench* lo = nullptr;
    const RankBench* hi = nullptr;
    for (const RankBench* rb : ranks) {
      ids.push_back(rb->rank);
      if (rb->node.results.empty()) continue;
      if (!lo || rb->best().terms.median < lo->best().terms.median) lo = rb;
      if (!hi || rb->best().terms.median > hi->best().terms.median) hi = rb;
    }
    nlohmann::json h = {{"host", host}, {"ranks", ids},
                        {"cpu_model", ranks.front()->cpu_model.empty() ? nlohmann::json(nullptr) : nlohmann::json(ranks.front()->cpu_model)}};
    if (hi) {
      h["best_kernel"] = name_of(hi->best().kernel);
      h["best_isa"] = name_of(hi->best().isa);
      h["best_terms_per_second"] = hi->best().terms.median;
      h["slowest_rank"] = lo->rank;
      h["slowest_terms_per_second"] = lo->best().terms.median;
    }
    hosts.push_back(h);
  }
  for (const auto& l : r.links) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : l.points)
      points.push_back({{"bytes", p.bytes}, {"one_way_seconds", p.one_way_seconds}, {"bandwidth_bytes_per_second", p.bandwidth}});
    links.push_back({{"peer", l.peer}, {"host", host_of(r, l.peer)}, {"same_host", host_of(r, l.peer) == host_of(r, 0)},
                     {"points", points}});
  }
  return {{"settings", {{"min_time", r.discipline.min_time},
                        {"repetitions", r.discipline.repetitions},
                        {"mode", "all ranks at once, one core each; then rank 0 to each rank in turn"}}},
          {"per_rank", per_rank}, {"hosts", hosts}, {"links", links}, {"warnings", topology::to_json(r.warnings)}};
}

}  // namespace hs::measure
