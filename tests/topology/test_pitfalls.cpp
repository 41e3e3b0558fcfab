// Pitfall rules on constructed placements: each fires exactly when it should, and sound layouts are quiet.
#include <gtest/gtest.h>

#include <algorithm>

#include "topology/pitfalls.hpp"

using namespace hs::topology;

namespace {

HostSummary host(const char* synthetic) { return Machine::synthetic(synthetic).summary("h"); }

RankPlacement rank(int r, std::vector<int> pus, bool bound, int threads, bool omp_set = true) {
  RankPlacement p;
  p.rank = r;
  p.host = "h";
  p.pus = std::move(pus);
  p.bound = bound;
  p.threads = threads;
  p.omp_num_threads_set = omp_set;
  return p;
}

void add_thread(RankPlacement& r, std::vector<int> pus, int running) {
  ThreadPlacement t;
  t.thread = static_cast<int>(r.thread_list.size());
  t.pus = std::move(pus);
  t.running_pu = running;
  r.thread_list.push_back(t);
}

std::vector<std::string> kinds(const std::vector<Pitfall>& ps) {
  std::vector<std::string> k;
  for (const auto& p : ps) k.push_back(p.kind);
  return k;
}

}  // namespace

TEST(Pitfalls, SoundLayoutsAreQuiet) {
  const auto h2 = host("pack:1 core:2 pu:1");
  // 1 rank x 2 threads, --bind-to none.
  EXPECT_TRUE(detect_pitfalls({h2}, {rank(0, {0, 1}, false, 2)}).empty());
  // 2 ranks x 1 thread, bound to a core each (Open MPI's default at np 2).
  EXPECT_TRUE(detect_pitfalls({h2}, {rank(0, {0}, true, 1), rank(1, {1}, true, 1)}).empty());
  // 4 ranks x 8 threads on the NUMA machine, one rank per NUMA domain.
  const auto big = host("pack:2 numa:2 core:8 pu:2");
  std::vector<RankPlacement> rs;
  for (int r = 0; r < 4; ++r) {
    std::vector<int> pus;
    for (int p = 16 * r; p < 16 * r + 16; ++p) pus.push_back(p);
    rs.push_back(rank(r, pus, true, 8));
  }
  EXPECT_TRUE(detect_pitfalls({big}, rs).empty());
}

TEST(Pitfalls, ThreadsShareOneCore) {
  // OMP_NUM_THREADS=2 mpirun -np 1: bound to core 0.
  const auto ps = detect_pitfalls({host("pack:1 core:2 pu:1")}, {rank(0, {0}, true, 2)});
  ASSERT_EQ(kinds(ps), std::vector<std::string>{"threads_share_cores"});
  EXPECT_NE(ps[0].message.find("rank 0 on h runs 2 threads on 1 core"), std::string::npos);
  EXPECT_NE(ps[0].message.find("Open MPI binds each rank to one core when np <= 2 (to a package above). Fix: mpirun "
                               "--map-by slot:PE=2 --bind-to core -x OMP_NUM_THREADS=2 (or --bind-to none)"),
            std::string::npos)
      << ps[0].message;
  // OMP_NUM_THREADS=2 mpirun -np 2: each rank bound to one core of two; 2 x 2 threads do not fit, so the
  // fix is one thread each, and unbound is no way out.
  const auto two = detect_pitfalls({host("pack:1 core:2 pu:1")}, {rank(0, {0}, true, 2), rank(1, {1}, true, 2)});
  ASSERT_EQ(kinds(two), (std::vector<std::string>{"threads_share_cores", "threads_share_cores", "host_oversubscribed"}));
  EXPECT_NE(two[0].message.find("Fix: mpirun --map-by slot:PE=1 --bind-to core -x OMP_NUM_THREADS=1 (1 thread per "
                                "rank is what fits: 2 cores for 2 ranks here)"),
            std::string::npos)
      << two[0].message;
  EXPECT_EQ(two[0].message.find("--bind-to none"), std::string::npos) << two[0].message;
}

TEST(Pitfalls, AnUnboundRankIsNotSaidToBeBound) {
  // OMP_NUM_THREADS=3 mpirun -np 1 --bind-to none on 2 cores: too many threads for the host, no binding.
  const auto ps = detect_pitfalls({host("pack:1 core:2 pu:1")}, {rank(0, {0, 1}, false, 3)});
  ASSERT_EQ(kinds(ps), std::vector<std::string>{"host_oversubscribed"});
  EXPECT_EQ(ps[0].message.find("binds"), std::string::npos) << ps[0].message;
  EXPECT_NE(ps[0].message.find("Fix: mpirun --map-by slot:PE=2 --bind-to core -x OMP_NUM_THREADS=2: 2 threads for "
                               "this rank"),
            std::string::npos)
      << ps[0].message;
  // Unbound but held to one core by its CPU set (taskset, a cgroup): confined all the same.
  const auto held = detect_pitfalls({host("pack:1 core:2 pu:1")}, {rank(0, {1}, false, 2)});
  ASSERT_EQ(kinds(held), std::vector<std::string>{"threads_share_cores"});
  EXPECT_NE(held[0].message.find("Its CPU set (taskset, a cgroup or the batch system) allows no more."),
            std::string::npos)
      << held[0].message;
}

TEST(Pitfalls, HostOversubscribed) {
  const auto ps = detect_pitfalls({host("pack:1 core:2 pu:1")},
                                  {rank(0, {0, 1}, false, 2), rank(1, {0, 1}, false, 2), rank(2, {0, 1}, false, 2)});
  EXPECT_EQ(kinds(ps), std::vector<std::string>{"host_oversubscribed"});
  EXPECT_NE(ps[0].message.find("3 ranks with 6 threads in all on 2 cores"), std::string::npos);
}

TEST(Pitfalls, OverlappingBindings) {
  // --bind-to core --oversubscribe -np 3 on 2 cores: ranks 0 and 2 share core 0.
  const auto ps = detect_pitfalls({host("pack:1 core:2 pu:1")},
                                  {rank(0, {0}, true, 1), rank(1, {1}, true, 1), rank(2, {0}, true, 1)});
  EXPECT_EQ(kinds(ps), (std::vector<std::string>{"host_oversubscribed", "overlapping_bindings"}));
  EXPECT_NE(ps[1].message.find("ranks 0 and 2 on h are bound to overlapping PUs"), std::string::npos);
}

TEST(Pitfalls, SmtSiblingsBusyWhileCoresIdle) {
  // 1 rank x 2 threads on a 2-core SMT machine, both threads on PUs 0 and 1 = the siblings of core 0.
  auto r = rank(0, {0, 1, 2, 3}, false, 2);
  add_thread(r, {0}, 0);
  add_thread(r, {1}, 1);
  auto ps = detect_pitfalls({host("pack:1 core:2 pu:2")}, {r});
  EXPECT_EQ(kinds(ps), std::vector<std::string>{"smt_siblings_busy"});
  // The same threads spread over both cores: quiet.
  auto spread = rank(0, {0, 1, 2, 3}, false, 2);
  add_thread(spread, {0}, 0);
  add_thread(spread, {2}, 2);
  EXPECT_TRUE(detect_pitfalls({host("pack:1 core:2 pu:2")}, {spread}).empty());
}

TEST(Pitfalls, OmpNumThreadsUnsetWhileBoundToSeveralCores) {
  const auto big = host("pack:2 core:4 pu:1");
  auto r = rank(0, {0, 1, 2, 3}, true, 4, /*omp_set=*/false);
  EXPECT_EQ(kinds(detect_pitfalls({big}, {r})), std::vector<std::string>{"omp_num_threads_unset"});
  r.threads_given = true;  // --threads given: hyperslice was told
  EXPECT_TRUE(detect_pitfalls({big}, {r}).empty());
  auto unbound = rank(0, {0, 1, 2, 3, 4, 5, 6, 7}, false, 8, false);
  EXPECT_TRUE(detect_pitfalls({big}, {unbound}).empty());
}

TEST(Pitfalls, FixesSpeakHydraUnderMpich) {
  // The same mistakes as above, advised in the dialect of MPICH's mpiexec.
  const auto shared = detect_pitfalls({host("pack:1 core:2 pu:1")}, {rank(0, {0}, true, 2)}, Launcher::hydra);
  ASSERT_EQ(kinds(shared), std::vector<std::string>{"threads_share_cores"});
  EXPECT_NE(shared[0].message.find("Fix: mpiexec -bind-to core:2 -genv OMP_NUM_THREADS 2 (or -bind-to none)"),
            std::string::npos)
      << shared[0].message;
  EXPECT_EQ(shared[0].message.find("--"), std::string::npos) << shared[0].message;  // no Open MPI flag left
  const auto over = detect_pitfalls({host("pack:1 core:2 pu:1")},
                                    {rank(0, {0}, true, 1), rank(1, {1}, true, 1), rank(2, {0}, true, 1)},
                                    Launcher::hydra);
  ASSERT_EQ(kinds(over), (std::vector<std::string>{"host_oversubscribed", "overlapping_bindings"}));
  EXPECT_NE(over[0].message.find("Fix: at most 2 ranks here"), std::string::npos) << over[0].message;
  EXPECT_NE(over[1].message.find("-ppn N -bind-to core:M with N x M <= 2, or -bind-to none"), std::string::npos)
      << over[1].message;
  const auto unset = detect_pitfalls({host("pack:1 core:4 pu:1")}, {rank(0, {0, 1, 2, 3}, true, 4, false)},
                                     Launcher::hydra);
  ASSERT_EQ(kinds(unset), std::vector<std::string>{"omp_num_threads_unset"});
  EXPECT_NE(unset[0].message.find("Fix: mpiexec -genv OMP_NUM_THREADS 4"), std::string::npos) << unset[0].message;
}

namespace {

RankPlacement in_slurm(RankPlacement r, int cpus_per_task, bool srun = true) {
  r.slurm = hs::launch::SlurmTask{"42", srun ? "0" : "", "n1", cpus_per_task, srun};
  return r;
}

}  // namespace

TEST(Pitfalls, SlurmMistakesAndFixesInSrunsDialect) {
  const auto h2 = host("pack:1 core:2 pu:1");
  // sbatch --cpus-per-task=2, then a bare srun: Slurm 22.05 binds the task to one core, 2 threads stack.
  const auto stacked = detect_pitfalls({h2}, {in_slurm(rank(0, {0}, true, 2, false), 2)}, Launcher::srun);
  ASSERT_EQ(kinds(stacked), std::vector<std::string>{"threads_share_cores"});
  EXPECT_NE(stacked[0].message.find("Fix: srun --cpus-per-task=2 --cpu-bind=cores (Slurm 22.05's srun does not take "
                                    "--cpus-per-task from sbatch or salloc"),
            std::string::npos)
      << stacked[0].message;
  EXPECT_EQ(stacked[0].message.find("mpirun"), std::string::npos) << stacked[0].message;
  // OMP_NUM_THREADS above --cpus-per-task (the task has the cores, but not by right).
  const auto above = detect_pitfalls({h2}, {in_slurm(rank(0, {0, 1}, false, 2), 1)}, Launcher::srun);
  ASSERT_EQ(kinds(above), std::vector<std::string>{"threads_above_cpus_per_task"});
  EXPECT_NE(above[0].message.find("rank 0 on h runs 2 threads (OMP_NUM_THREADS) but Slurm gave its task 1 CPU"),
            std::string::npos)
      << above[0].message;
  // More tasks on a node than it has cores (a node described with more CPUs than it has).
  std::vector<RankPlacement> three;
  for (int r = 0; r < 3; ++r) three.push_back(in_slurm(rank(r, {r % 2}, true, 1), 1));
  const auto k = kinds(detect_pitfalls({h2}, three, Launcher::srun));
  EXPECT_NE(std::find(k.begin(), k.end(), "tasks_above_cores"), k.end());
  // Sound under Slurm: 1 task x 2 threads with --cpus-per-task=2, and 2 tasks x 1 thread.
  EXPECT_TRUE(detect_pitfalls({h2}, {in_slurm(rank(0, {0, 1}, true, 2), 2)}, Launcher::srun).empty());
  EXPECT_TRUE(
      detect_pitfalls({h2}, {in_slurm(rank(0, {0}, true, 1), 1), in_slurm(rank(1, {1}, true, 1), 1)}, Launcher::srun)
          .empty());
}
