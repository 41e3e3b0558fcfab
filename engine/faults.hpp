// Fault injection for tests of failure handling: HYPERSLICE_FAULT="KIND@RANK[:SLICES]" acts on rank
// RANK ("*": every rank) when it has computed its SLICES-th slice (default 1), before reporting it --
// so the rank holds an unfinished slice and the job cannot end without it. SLICES 0 acts on a worker
// (not rank 0, not a group leader) before it asks for its first slice: a rank silent from the start,
// whatever the others' speed (with :1 the others may finish every slice before a starved, oversubscribed
// rank gets one, and the job ends well). Kinds: throw, segv (crash),
// hang (silent forever: no heartbeats), pause (waits, still answering the protocol, until the run is
// interrupted: a job held at a known point, whatever the CPU's speed), corrupt (the slice's sum is
// reported 1e-9 too large: a wrong result for --verify to catch). Off when unset.
#pragma once

#include <cstdint>
#include <functional>

namespace hs::engine {

// `serve` does the rank's usual between-blocks work (MPI service, heartbeats) and returns true once
// the run is stopping; a pause calls it until then.
// Returns true when the slice's result must be corrupted.
bool maybe_inject_fault(int rank, std::uint64_t slices_computed, const std::function<bool()>& serve);

}  // namespace hs::engine
