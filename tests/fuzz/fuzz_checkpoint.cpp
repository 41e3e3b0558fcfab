// Fuzz target: the checkpoint reader. Bad input must be an InputError; good input must survive a
// serialise/parse round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/checkpoint.hpp"
#include "engine/run_errors.hpp"

using namespace hs::engine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Checkpoint c = parse_checkpoint(text, "fuzz.ckpt");
    const Checkpoint again = parse_checkpoint(serialize(c), "fuzz.ckpt");
    if (again.done != c.done || again.sum.limbs() != c.sum.limbs() || again.terms != c.terms) __builtin_trap();
  } catch (const InputError&) {
  }
  return 0;
}
