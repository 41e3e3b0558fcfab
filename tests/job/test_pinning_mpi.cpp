// The job layer under MPI (1, 2 and 3 ranks on one node): ranks sharing a binding get consecutive,
// non-overlapping thread offsets; the survey reaches rank 0 in rank order with each rank's facts; and
// agree() gives every rank rank 0's verdict.
#include <gtest/gtest.h>
#include <mpi.h>

#include "job/pinning.hpp"
#include "job/gather.hpp"

using namespace hs;

namespace {
int world(int* size = nullptr) {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  if (size) MPI_Comm_size(MPI_COMM_WORLD, size);
  return r;
}
}  // namespace

TEST(JobPlacement, RanksSharingABindingTakeConsecutiveOffsets) {
  int size = 1;
  const int rank = world(&size);
  // All ranks claim the same binding with rank+1 threads: rank r starts after 1 + 2 + ... + r threads.
  const int offset = job::shared_binding_offset(MPI_COMM_WORLD, {0, 1}, rank + 1);
  EXPECT_EQ(offset, rank * (rank + 1) / 2);
  // Different bindings do not push each other.
  EXPECT_EQ(job::shared_binding_offset(MPI_COMM_WORLD, {rank}, 2), 0);
}

TEST(JobSurvey, RankZeroGetsEveryRankInOrder) {
  int size = 1;
  const int rank = world(&size);
  const topology::Machine machine = topology::Machine::this_host();
  const topology::ThreadPinner pinner(machine, false);
  const topology::Survey s = job::survey_ranks(MPI_COMM_WORLD, pinner, {1, true, rank == 1 ? "avx2" : "sse2", rank != 1});
  if (rank == 0) {
    ASSERT_EQ(static_cast<int>(s.ranks.size()), size);
    for (int r = 0; r < size; ++r) {
      EXPECT_EQ(s.ranks[static_cast<std::size_t>(r)].rank, r);
      EXPECT_EQ(s.ranks[static_cast<std::size_t>(r)].isa_available, r != 1);
      EXPECT_EQ(s.ranks[static_cast<std::size_t>(r)].host, job::host_name());
    }
    EXPECT_EQ(s.hosts.size(), 1u);
    EXPECT_EQ(topology::isa_of(s), size > 1 ? "mixed" : "sse2");
  } else {
    EXPECT_TRUE(s.ranks.empty());
  }
}

TEST(JobSurvey, EveryRankGetsRankZerosVerdict) {
  const int rank = world();
  EXPECT_EQ(job::agree(MPI_COMM_WORLD, rank == 0 ? "bad input" : "ignored"), "bad input");
  EXPECT_EQ(job::agree(MPI_COMM_WORLD, rank == 0 ? "" : "ignored"), "");
}
