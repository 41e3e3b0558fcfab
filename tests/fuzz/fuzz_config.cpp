// Fuzz target: a TOML run config merged with command-line values (engine/config). Input: TOML text,
// then a line "--", then "flag value" lines as the command line would give them. Anything but an
// InputError (a crash, UB, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "engine/config.hpp"
#include "engine/error.hpp"

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
      if (flag == "--terms")
        o.terms = parse_count(flag, value);
      else if (flag == "--slices")
        o.slices = parse_count(flag, value);
      else if (flag == "--slice-size")
        o.slice_size = parse_count(flag, value);
      else if (flag == "--threads")
        o.threads = parse_threads(flag, value);
      else if (flag == "--kernel")
        o.kernel = parse_kernel_name(flag, value);
      else if (flag == "--schedule")
        o.schedule = parse_schedule_name(flag, value);
      else if (flag == "--isa")
        o.isa = parse_isa_name(flag, value);
      else if (flag == "--checkpoint-every")
        o.checkpoint_every = parse_seconds(flag, value);
    }
    const RunConfig c = resolve(file, o);
    if (c.terms == 0 || c.slices == 0 || c.slices > c.terms) __builtin_trap();  // resolve's promises
  } catch (const InputError&) {
  }
  return 0;
}
