// Fuzz target: a TOML run config merged with command-line values (engine/config). Input: TOML text,
// then a line "--", then "flag value" lines as the command line would give them, parsed through the
// settings table as the CLI does. Anything but an InputError (a crash, UB, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "engine/config.hpp"
#include "engine/run_errors.hpp"
#include "engine/settings.hpp"

using namespace hs::engine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find("\n--\n");
  const std::string toml = input.substr(0, split);
  const std::string cli = split == std::string::npos ? "" : input.substr(split + 4);
  try {
    RunOptions file = toml.empty() ? RunOptions{} : parse_config_text(toml, "fuzz.toml");
    RunOptions o;
    std::istringstream lines(cli);
    std::string line;
    while (std::getline(lines, line)) {
      const auto sp = line.find(' ');
      const std::string flag = line.substr(0, sp), value = sp == std::string::npos ? "" : line.substr(sp + 1);
      if (const Setting* setting = find_setting_by_flag(flag))  // the same table the CLI is made from
        setting->apply(o, flag, setting->value_name.empty() ? setting->flag_value : std::string_view(value));
    }
    const RunConfig c = resolve(file, o);
    if (c.terms == 0 || c.slices == 0 || c.slices > c.terms) __builtin_trap();  // resolve's promises
  } catch (const InputError&) {
  }
  return 0;
}
