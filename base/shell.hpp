// POSIX shell quoting: commands hyperslice prints (advice, a report's command line) paste back into a
// shell as they are.
#pragma once

#include <string>
#include <vector>

namespace hs {

// `arg` as is when it has only characters no shell treats specially, else in single quotes.
std::string shell_quote(const std::string& arg);
// The words quoted and joined by spaces.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace hs
