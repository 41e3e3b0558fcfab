// The instruction sets, once. Every other list of ISAs -- the Isa enum, names, CPU support, dispatch,
// the per-ISA translation units and their compile flags (cmake/HypersliceIsa.cmake reads these rows) --
// is made from this table, in the spirit of Highway's HWY_TARGETS and xsimd's arch list.
//
// Adding an ISA is one row here and one translation unit, kernels/isa_<name>.cpp, that instantiates the
// shared lane loop and probes for its SIMD batch (HYPERSLICE_DEFINE_ISA, kernels/isa_entry.hpp).
//
// Columns: name (the enum value, `--isa` and `HYPERSLICE_DISABLE_ISA` spelling), architecture it is
// built for (any, x86, aarch64), its TU's compile flags (only those: -mavx2 without -mfma, so nothing can
// fuse), and the CpuFeatures member (kernels/cpu_features.cpp) that says whether this CPU and OS run it.
// Rows go from the least to the most preferred: the dispatcher picks the last one supported.
#pragma once

// clang-format off
#define HYPERSLICE_ISA_TABLE(X)                                    \
  /* name    arch     compile flags          CPU feature */        \
  X(scalar,  any,     "-fno-tree-vectorize", always)               \
  X(sse2,    x86,     "-msse2",              sse2)                 \
  X(avx2,    x86,     "-mavx2",              avx2)                 \
  X(avx512,  x86,     "-mavx512f",           avx512f)              \
  X(neon,    aarch64, "",                    asimd)
// clang-format on
