// Layout advice on synthetic machines (the hostfile reader: tests/launch/test_hostfile.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "topology/topology_error.hpp"
#include "topology/layout.hpp"

using namespace hs::topology;

namespace {
HostSummary host(const char* synthetic) { return Machine::synthetic(synthetic).summary("h"); }
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(Layout, SmallMachineOneRankTwoThreads) {
  const Layout l = recommend(host("pack:1 core:2 pu:1"), {});
  EXPECT_EQ(l.ranks_per_node, 1);
  EXPECT_EQ(l.threads_per_rank, 2);
  EXPECT_EQ(l.command,
            "mpirun -np 1 --map-by ppr:1:socket:PE=2 --bind-to core -x OMP_NUM_THREADS=2 -x OMP_PLACES=cores "
            "-x OMP_PROC_BIND=close hyperslice run");
  EXPECT_EQ(l.argv.size(), 15u);
  EXPECT_EQ(l.argv.back(), "run");
}

TEST(Layout, ProgramWithSpacesIsQuotedInTheCommandNotInArgv) {
  LayoutRequest req;
  req.program = {"/opt/my tools/hyperslice", "run"};
  const Layout l = recommend(host("pack:1 core:2 pu:1"), req);
  EXPECT_EQ(l.argv[l.argv.size() - 2], "/opt/my tools/hyperslice");
  EXPECT_NE(l.command.find(" '/opt/my tools/hyperslice' run"), std::string::npos) << l.command;
}

TEST(Layout, NumaMachineOneRankPerNumaDomainNoSmt) {
  const Layout l = recommend(host("pack:2 numa:2 core:8 pu:2"), {});
  EXPECT_EQ(l.unit, "numa");
  EXPECT_EQ(l.ranks_per_node, 4);
  EXPECT_EQ(l.threads_per_rank, 8);
  EXPECT_NE(l.command.find("--map-by ppr:1:numa:PE=8 --bind-to core -x OMP_NUM_THREADS=8"), std::string::npos);
  bool smt_reason = false;
  for (const auto& r : l.reasons)
    smt_reason = smt_reason || r.find("SMT (2 PUs per core) left off") != std::string::npos;
  EXPECT_TRUE(smt_reason);
}

TEST(Layout, SmtOnAsked) {
  LayoutRequest req;
  req.smt = true;
  const Layout l = recommend(host("pack:2 numa:2 core:8 pu:2"), req);
  EXPECT_EQ(l.threads_per_rank, 16);
  EXPECT_NE(l.command.find("--use-hwthread-cpus --bind-to hwthread -x OMP_NUM_THREADS=16 -x OMP_PLACES=threads"),
            std::string::npos);
}

TEST(Layout, ExplicitRanksPerNode) {
  LayoutRequest req;
  req.ranks_per_node = 4;
  Layout l = recommend(host("pack:1 core:64 pu:2"), req);
  EXPECT_EQ(l.threads_per_rank, 16);
  EXPECT_NE(l.command.find("mpirun -np 4 --map-by ppr:4:socket:PE=16"), std::string::npos);
  req.ranks_per_node = 3;
  l = recommend(host("pack:2 numa:2 core:8 pu:2"), req);
  EXPECT_EQ(l.unit, "node");
  EXPECT_EQ(l.threads_per_rank, 10);
  ASSERT_FALSE(l.notes.empty());
  EXPECT_NE(l.notes.front().find("2 stay idle"), std::string::npos);
}

TEST(Layout, ImpossibleRanksPerNode) {
  LayoutRequest req;
  req.ranks_per_node = 3;
  try {
    recommend(host("pack:1 core:2 pu:1"), req);
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_STREQ(e.what(), "ranks per node 3: impossible on a host with 2 cores");
  }
}

TEST(Layout, HostfileCoversItsNodesAndFlagsShortSlots) {
  LayoutRequest req;
  req.hostfile = write_temp("hs_hosts", "# cluster\nnode1 slots=1\nnode2 slots=8  # comment\n\nnode3\nnode1 slots=1\n");
  req.hosts = hs::launch::read_hostfile(req.hostfile);
  ASSERT_EQ(req.hosts.size(), 3u);
  EXPECT_EQ(req.hosts[0].slots, 2);  // repeated lines add up, as in Open MPI
  EXPECT_EQ(req.hosts[2].slots, 0);
  req.ranks_per_node = 4;
  const Layout l = recommend(host("pack:2 core:4 pu:1"), req);
  EXPECT_EQ(l.nodes, 3);
  EXPECT_NE(l.command.find("mpirun -np 12 --hostfile " + req.hostfile + " --mca plm_rsh_no_tree_spawn 1"),
            std::string::npos);
  ASSERT_GE(l.notes.size(), 1u);
  EXPECT_NE(l.notes.front().find("node1 slots=2 but the layout puts 4 ranks there"), std::string::npos);
}

TEST(Layout, HydraDialectUnderMpich) {
  LayoutRequest req;
  req.launcher = Launcher::hydra;
  const Layout l = recommend(host("pack:2 numa:2 core:8 pu:2"), req);
  EXPECT_EQ(l.command,
            "mpiexec -n 4 -ppn 4 -bind-to core:8 -genv OMP_NUM_THREADS 8 -genv OMP_PLACES cores -genv OMP_PROC_BIND "
            "close hyperslice run");
  req.smt = true;
  req.hostfile = "machines";
  req.hosts = {{"a", 0}, {"b", 0}};
  const Layout smt = recommend(host("pack:2 numa:2 core:8 pu:2"), req);
  EXPECT_NE(smt.command.find("mpiexec -n 8 -f machines -ppn 4 -bind-to hwthread:16 -genv OMP_NUM_THREADS 16"),
            std::string::npos)
      << smt.command;
}

TEST(Layout, SlurmBatchScriptWithSrun) {
  LayoutRequest req;
  req.launcher = Launcher::srun;
  req.nodes = 16;
  req.time_limit = "12:00:00";
  const Layout l = recommend(host("pack:2 numa:2 core:8 pu:2"), req);
  EXPECT_EQ(l.nodes, 16);
  EXPECT_EQ(l.command, "srun --mpi=pmix --hint=nomultithread --cpus-per-task=8 --cpu-bind=cores hyperslice run");
  EXPECT_EQ(l.batch_script,
            "#!/bin/bash\n"
            "#SBATCH --job-name=hyperslice\n"
            "#SBATCH --nodes=16\n"
            "#SBATCH --ntasks-per-node=4\n"
            "#SBATCH --cpus-per-task=8\n"
            "#SBATCH --hint=nomultithread\n"
            "#SBATCH --time=12:00:00\n"
            "#SBATCH --signal=TERM@60   # hyperslice flushes its checkpoint and stops; resubmit with --resume\n"
            "export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n"
            "export OMP_PLACES=cores OMP_PROC_BIND=close\n"
            "# usage: sbatch THIS_FILE --terms 1e12 --checkpoint pi.ckpt   (arguments go to hyperslice run)\n"
            "srun --mpi=pmix --hint=nomultithread --cpus-per-task=8 --cpu-bind=cores hyperslice run \"$@\"\n");
  // SMT asked for: hardware threads per task, bound per thread; MPICH's plugin.
  req.smt = true;
  req.srun_mpi = "pmi2";
  const Layout smt = recommend(host("pack:1 core:4 pu:2"), req);
  EXPECT_EQ(smt.command, "srun --mpi=pmi2 --hint=multithread --cpus-per-task=8 --cpu-bind=threads hyperslice run");
  EXPECT_NE(smt.batch_script.find("export OMP_PLACES=threads OMP_PROC_BIND=close\n"), std::string::npos);
  // Without --slurm there is no script, and --nodes alone says the command needs a hostfile.
  LayoutRequest plain;
  plain.nodes = 3;
  const Layout p = recommend(host("pack:1 core:2 pu:1"), plain);
  EXPECT_TRUE(p.batch_script.empty());
  EXPECT_EQ(p.argv[2], "3");  // -np 3
  EXPECT_EQ(p.notes.back(), "the command needs the 3 nodes: add --hostfile FILE with their names");
}
