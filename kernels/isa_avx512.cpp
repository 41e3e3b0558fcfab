// The avx512 ISA: the lane loop and the probes for xsimd's avx512f batch, compiled with this ISA's flags
// only (its row in kernels/isa_table.hpp).
#define HYPERSLICE_ISA_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/isa_entry.hpp"

HYPERSLICE_DEFINE_ISA(avx512, xsimd::batch<double, xsimd::avx512f>)
