// The sse2 ISA: the lane loop and the probes for xsimd's sse2 batch, compiled with this ISA's flags
// only (its row in kernels/isa_table.hpp).
#define HYPERSLICE_ISA_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/isa_entry.hpp"

HYPERSLICE_DEFINE_ISA(sse2, xsimd::batch<double, xsimd::sse2>)
