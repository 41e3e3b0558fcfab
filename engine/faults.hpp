// Fault injection for tests of failure handling: HYPERSLICE_FAULT="KIND@RANK[:SLICES]" makes rank RANK
// throw, crash (SIGSEGV) or hang after computing SLICES slices (default 1). Off when unset.
#pragma once

#include <cstdint>

namespace hs::engine {

void maybe_inject_fault(int rank, std::uint64_t slices_done);

}  // namespace hs::engine
