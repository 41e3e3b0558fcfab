// What each ISA's translation unit (kernels/isa_<name>.cpp) provides: its lane loop and its two probes,
// all instantiated from the shared templates (kernels/lane_loop.hpp, kernels/probes.hpp) for its SIMD
// batch, in one object compiled with that ISA's flags only. series.cpp and probes.cpp dispatch through
// these entries; the list of ISAs comes from kernels/isa_table.hpp.
#pragma once

#include <cstdint>

#include "kernels/isa_table.hpp"
#include "kernels/probes.hpp"
#include "kernels/series.hpp"

namespace hs::kernels::detail {

struct IsaEntry {
  ChunkFn chunks;
  Timed (*divider_probe)(std::uint64_t iterations);
  Timed (*addmul_probe)(std::uint64_t iterations);
  Timed (*mix_probe)(Kernel k, std::uint64_t iterations);
};

#define HYPERSLICE_DECLARE_ISA_ENTRY(isa, ...) extern const IsaEntry isa_entry_##isa;
HYPERSLICE_ISA_TABLE(HYPERSLICE_DECLARE_ISA_ENTRY)
#undef HYPERSLICE_DECLARE_ISA_ENTRY

// The entry of an ISA compiled into this binary (throws std::invalid_argument for one that is not).
const IsaEntry& isa_entry(Isa isa);

}  // namespace hs::kernels::detail

#ifdef HYPERSLICE_ISA_BATCH
#include "kernels/lane_loop.hpp"
// In kernels/isa_<name>.cpp: the entry of ISA `isa`, every piece instantiated for SIMD batch `...`.
#define HYPERSLICE_DEFINE_ISA(isa, ...)                                                                            \
  namespace hs::kernels::detail {                                                                                  \
  extern const IsaEntry isa_entry_##isa{&run_chunks<__VA_ARGS__>, &probe<__VA_ARGS__>, &addmul_probe<__VA_ARGS__>, \
                                        &mix_probe<__VA_ARGS__>};                                                  \
  }
#endif
