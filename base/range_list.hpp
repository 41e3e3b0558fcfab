// Rank lists as people write them: "0-3,5,7-8" for {0,1,2,3,5,7,8} (sorted input).
#pragma once

#include <string>
#include <vector>

namespace hs {

inline std::string range_list(const std::vector<int>& sorted) {
  std::string out;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    // Appended piece by piece: GCC 12's -Wrestrict misfires on an inlined `const char* + std::string`.
    if (!out.empty()) out += ',';
    out += std::to_string(sorted[i]);
    if (j > i) out += '-', out += std::to_string(sorted[j]);
    i = j;
  }
  return out;
}

}  // namespace hs
