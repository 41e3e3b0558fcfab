// The scalar ISA: the shared lane loop and probes over a one-lane batch (ScalarBatch, eight independent
// register chains as on the vector ISAs), compiled without auto-vectorisation (its row in
// kernels/isa_table.hpp) for machines without vector units.
#define HYPERSLICE_ISA_BATCH 1
#include "kernels/isa_entry.hpp"

HYPERSLICE_DEFINE_ISA(scalar, ScalarBatch)
