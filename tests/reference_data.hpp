// Reference values made by tests/data/make_reference.py (mpmath): correctly rounded results and the
// exact value's offset from them in ulps, so tests can bound an error in ulps exactly.
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace hs::testing_data {

struct Reference {
  std::uint64_t terms;
  double rounded;
  double exact_minus_rounded_ulps;
};

inline std::vector<Reference> load_reference(const std::string& series) {
  std::ifstream in(std::string(HYPERSLICE_TEST_DATA) + "/reference.json");
  if (!in) throw std::runtime_error("cannot open tests/data/reference.json");
  const auto j = nlohmann::json::parse(in);
  std::vector<Reference> out;
  for (const auto& e : j.at(series))
    out.push_back({e.at("terms").get<std::uint64_t>(), std::strtod(e.at("hex").get<std::string>().c_str(), nullptr),
                   e.at("exact_minus_rounded_ulps").get<double>()});
  return out;
}

// |x - exact| in ulps of the correctly rounded reference.
inline double ulps_from_exact(double x, const Reference& r) {
  const double ulp = std::nextafter(std::fabs(r.rounded), INFINITY) - std::fabs(r.rounded);
  return std::fabs((x - r.rounded) / ulp - r.exact_minus_rounded_ulps);
}

}  // namespace hs::testing_data
