// run_pi under MPI (registered at 1, 2 and 3 ranks): pi's bits are the same for every schedule, thread
// count, slice count (including ones that divide nothing evenly) and ISA, equal to the single-process
// exact sum, and within 1 ulp of the mpmath reference. The hierarchical schedule runs with groups of one
// rank here, so every rank but 0 is a leader taking batches (the CLI tests give leaders members).
#include <gtest/gtest.h>
#include <mpi.h>

#include <bit>
#include <cstdlib>
#include <string>

#include "engine/checkpoint.hpp"
#include "engine/run_errors.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "reference_data.hpp"

using namespace hs::engine;
using hs::kernels::Isa;
using hs::kernels::Kernel;

namespace {

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

// The oracle: the same blocks summed in one process, scalar ISA, in block order.
double single_process(Kernel k, std::uint64_t n) {
  const hs::kernels::SeriesKernel sk(k, n, Isa::scalar);
  hs::kernels::ExactAccumulator acc;
  for (std::uint64_t b = 0; b < sk.blocks(); ++b) sk.sum_block(b, acc);
  return sk.finish(acc);
}

}  // namespace

TEST(RunMpi, SameBitsForEveryLayout) {
  const std::uint64_t n = 3 * hs::kernels::kBlockTerms * 7 + 12345;  // 21 full blocks and a short one
  const double leibniz = single_process(Kernel::leibniz, n);
  for (Kernel k : hs::kernels::all_kernels()) {
    const double expected = single_process(k, n);
    if (k != Kernel::midpoint) {
      EXPECT_EQ(expected, leibniz) << name(k) << ": the three Leibniz kernels give the same bits";
    }
    for (Schedule sched : {Schedule::static_blocks, Schedule::dynamic, Schedule::hierarchical}) {
      for (int threads : {1, 2}) {
        for (std::uint64_t slices : {1ull, 5ull, 7ull, 22ull, 50ull, 1000ull}) {
          for (Isa isa : hs::kernels::all_isas()) {
            if (!hs::kernels::isa_supported(isa)) continue;
            // The groups change who computes which slice, nothing in a slice: one thread and ISA suffice.
            if (sched == Schedule::hierarchical && (threads != 1 || isa != hs::kernels::best_isa())) continue;
            RunConfig c;
            c.kernel = k;
            c.terms = n;
            c.slices = slices;
            c.schedule = sched;
            c.group_size = sched == Schedule::hierarchical ? 1 : 0;
            c.threads = threads;
            c.isa = isa;
            const RunResult r = run_pi(c, MPI_COMM_WORLD);
            if (world_rank() == 0) {
              ASSERT_EQ(std::bit_cast<std::uint64_t>(r.pi), std::bit_cast<std::uint64_t>(expected))
                  << name(k) << " " << name(sched) << " threads=" << threads << " slices=" << slices
                  << " isa=" << name(isa) << ": " << hs::kernels::hex_double(r.pi) << " vs "
                  << hs::kernels::hex_double(expected);
              std::uint64_t slices_done = 0;
              for (const auto& s : r.per_rank) slices_done += s.slices;
              EXPECT_EQ(slices_done, std::min(slices, Plan(n, slices).blocks()));  // empty ones: nobody
            }
          }
        }
      }
    }
  }
}

TEST(RunMpi, SeedWorkloadBothSchedules) {
  for (Schedule sched : {Schedule::static_blocks, Schedule::dynamic}) {
    RunConfig c;  // defaults: 128 slices x 1,000,000 terms of leibniz
    c.schedule = sched;
    c.threads = 1;
    const RunResult r = run_pi(c, MPI_COMM_WORLD);
    if (world_rank() == 0) {
      EXPECT_EQ(r.pi, 0x1.921fb5337bd9ep+1) << hs::kernels::hex_double(r.pi);
      for (const auto& ref : hs::testing_data::load_reference("leibniz")) {
        if (ref.terms == c.terms) {
          EXPECT_LE(hs::testing_data::ulps_from_exact(r.pi, ref), 1.0);
        }
      }
      int ranks = 0;
      MPI_Comm_size(MPI_COMM_WORLD, &ranks);
      EXPECT_EQ(static_cast<int>(r.per_rank.size()), ranks);
    }
  }
}

TEST(RunMpi, MissingIsaOnOneRankIsTheSameInputErrorEverywhere) {
  // The last rank pretends its CPU lacks the best ISA this machine has (as a mixed cluster's older
  // node would). Whatever that ISA is -- AVX-512, AVX2 or only SSE2 -- so the test holds on any x86-64,
  // and under HYPERSLICE_DISABLE_ISA runs too.
  const Isa best = hs::kernels::best_isa();
  if (best == Isa::scalar) GTEST_SKIP() << "no SIMD ISA here to take away";
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const char* before = std::getenv("HYPERSLICE_DISABLE_ISA");
  const std::string saved = before ? before : "";
  if (world_rank() == size - 1)
    setenv("HYPERSLICE_DISABLE_ISA", (saved.empty() ? "" : saved + ",").append(name(best)).c_str(), 1);
  RunConfig c;
  c.terms = 1000;
  c.slices = 10;
  c.isa = best;
  std::string message;
  try {
    run_pi(c, MPI_COMM_WORLD);
  } catch (const InputError& e) {
    message = e.what();
  }
  EXPECT_EQ(message.rfind(std::string("--isa ") + std::string(name(best)) +
                              ": not supported by the CPU (or OS) of rank " + std::to_string(size - 1),
                          0),
            0u)
      << message;

  // With --isa auto that rank falls back, and the bits do not move.
  c.isa.reset();
  c.terms = 5 * hs::kernels::kBlockTerms + 3;
  const RunResult r = run_pi(c, MPI_COMM_WORLD);
  if (before)
    setenv("HYPERSLICE_DISABLE_ISA", saved.c_str(), 1);
  else
    unsetenv("HYPERSLICE_DISABLE_ISA");
  if (world_rank() == 0) {
    EXPECT_EQ(r.pi, single_process(Kernel::leibniz, c.terms));
    if (size > 1) {
      EXPECT_EQ(r.isa, "mixed");
    }
  }
}

TEST(RunMpi, ResumeFromAPartialCheckpointGivesTheSameBits) {
  // A checkpoint holding some slices (their exact sums computed directly), resumed on this layout.
  const std::uint64_t n = 40 * hs::kernels::kBlockTerms + 777;
  const std::string path = "/tmp/hyperslice_test_resume.ckpt";
  for (Schedule sched : {Schedule::static_blocks, Schedule::dynamic, Schedule::hierarchical}) {
    RunConfig c;
    c.group_size = sched == Schedule::hierarchical ? 1 : 0;
    c.kernel = Kernel::leibniz_paired;
    c.terms = n;
    c.slices = 13;
    c.schedule = sched;
    c.threads = 2;
    if (world_rank() == 0) {
      Checkpoint k = Checkpoint::empty_for(c);
      const hs::kernels::SeriesKernel sk(c.kernel, n, Isa::scalar);
      const Plan plan(n, c.slices);
      for (std::uint64_t s : {0ull, 3ull, 4ull, 12ull}) {
        k.done.insert(s);
        const auto r = plan.slice_blocks(s);
        for (std::uint64_t b = r.begin; b < r.end; ++b) sk.sum_block(b, k.sum);
      }
      ASSERT_TRUE(write_checkpoint(path, k));
    }
    MPI_Barrier(MPI_COMM_WORLD);
    c.checkpoint = path;
    c.resume = true;
    const RunResult r = run_pi(c, MPI_COMM_WORLD);
    if (world_rank() == 0) {
      EXPECT_EQ(r.resumed_slices, 4u);
      EXPECT_EQ(r.pi, single_process(c.kernel, n)) << hs::kernels::hex_double(r.pi);
      std::uint64_t computed = 0;
      for (const auto& s : r.per_rank) computed += s.slices;
      EXPECT_EQ(computed, 9u);
      const Checkpoint after = read_checkpoint(path);  // the final checkpoint is complete
      EXPECT_EQ(after.done_count(), 13u);
    }
    MPI_Barrier(MPI_COMM_WORLD);
  }
}
