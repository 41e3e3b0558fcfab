// The neon ISA (aarch64 Advanced SIMD, two doubles per register): the lane loop and the probes for
// xsimd's neon64 batch. NEON is part of ARMv8-A, so its row in kernels/isa_table.hpp needs no flags; the
// project-wide -ffp-contract=off matters most here, since every aarch64 CPU has fma and GCC would fuse.
#define HYPERSLICE_ISA_BATCH 1
#include <xsimd/xsimd.hpp>

#include "kernels/isa_entry.hpp"

HYPERSLICE_DEFINE_ISA(neon, xsimd::batch<double, xsimd::neon64>)
