// Internal to measure/: the views of a bench report that its comparison, JSON and text share.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/range_list.hpp"
#include "measure/bench.hpp"

namespace hs::measure::detail {

using kernels::Isa;
using kernels::Kernel;

inline std::string name_of(Kernel k) { return std::string(kernels::name(k)); }
inline std::string name_of(Isa i) { return std::string(kernels::name(i)); }

inline nlohmann::json sample_json(const Sample& s) {
  return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"spread", s.spread()},
          {"repetitions", s.repetitions}, {"iterations", s.iterations}};
}

inline Sample sample_from_json(const nlohmann::json& j) {
  Sample s;
  s.median = j.at("median");
  s.min = j.at("min");
  s.max = j.at("max");
  s.repetitions = j.at("repetitions");
  s.iterations = j.at("iterations");
  return s;
}

inline std::string percent(double x) { return fmt::format("{:.0f}%", 100 * x); }

inline std::string size_name(std::size_t b) {
  return b >= (1u << 20) ? fmt::format("{} MiB", b >> 20) : b >= 1024 ? fmt::format("{} KiB", b >> 10) : fmt::format("{} B", b);
}

inline std::string rank_list(const std::vector<int>& ranks) { return range_list(ranks); }

// Hosts in order of their first rank, with their ranks.
inline std::vector<std::pair<std::string, std::vector<const RankBench*>>> by_host(const BenchReport& r) {
  std::vector<std::pair<std::string, std::vector<const RankBench*>>> out;
  for (const auto& rb : r.ranks) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& h) { return h.first == rb.host; });
    if (it == out.end()) {
      out.push_back({rb.host, {}});
      it = out.end() - 1;
    }
    it->second.push_back(&rb);
  }
  return out;
}

inline const std::string& host_of(const BenchReport& r, int rank) {
  static const std::string unknown = "?";
  for (const auto& rb : r.ranks)
    if (rb.rank == rank) return rb.host;
  return unknown;
}


}  // namespace hs::measure::detail
