// --drain's decisions, NHC's protocol: a failing node is drained unless it is drained or down already
// (an administrator's reason is never replaced); a passing node is resumed only from a drain whose
// reason hyperslice wrote. Parsed from real `scontrol show node -o` lines of Slurm 22.05 (the virtual
// cluster's, shortened).
#include <gtest/gtest.h>

#include <cstdlib>

#include "launch/slurm_drain.hpp"

using namespace hs::launch;

namespace {
const std::string kIdle =
    "NodeName=node1 Arch=x86_64 CoresPerSocket=2 CPUAlloc=0 CPUTot=2 CPULoad=0.05 AvailableFeatures=(null) "
    "ActiveFeatures=(null) Gres=(null) NodeAddr=10.77.0.11 NodeHostName=node1 Version=22.05.8 OS=Linux "
    "RealMemory=24000 AllocMem=0 FreeMem=20000 Sockets=1 Boards=1 State=IDLE ThreadsPerCore=1 TmpDisk=0 "
    "Weight=1 Owner=N/A MCS_label=N/A Partitions=debug BootTime=2026-12-02T15:02:10 "
    "SlurmdStartTime=2026-12-02T16:01:00 LastBusyTime=2026-12-02T16:01:00 CfgTRES=cpu=2,mem=24000M,billing=2 "
    "AllocTRES= CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s";
}  // namespace

TEST(SlurmDrain, ParsesStateAndReason) {
  auto s = parse_scontrol_node(kIdle);
  EXPECT_EQ(s.state, "IDLE");
  EXPECT_EQ(s.reason, "");
  EXPECT_FALSE(s.drained());
  s = parse_scontrol_node(kIdle + " Reason=hyperslice: rank 1's core: 3.2e+09 terms/s, 48% of the median [root@2026-12-02T16:05:01]");
  EXPECT_EQ(s.reason, "hyperslice: rank 1's core: 3.2e+09 terms/s, 48% of the median");
  s = parse_scontrol_node("NodeName=node2 State=IDLE+DRAIN ThreadsPerCore=1 Reason=disk replaced, wait [admin@2026-12-01T09:00:00] Comment=x");
  EXPECT_EQ(s.state, "IDLE+DRAIN");
  EXPECT_EQ(s.reason, "disk replaced, wait");
  EXPECT_TRUE(s.drained());
  EXPECT_TRUE(parse_scontrol_node("NodeName=n State=DOWN+NOT_RESPONDING Reason=Not responding").drained());
}

TEST(SlurmDrain, NhcsProtocol) {
  const NodeState idle{"IDLE", ""}, mixed{"MIXED", ""};
  const NodeState ours{"IDLE+DRAIN", "hyperslice: rank 1's core ..."}, admins{"IDLE+DRAIN", "disk replaced"};
  const NodeState draining_ours{"MIXED+DRAIN", "hyperslice: triad ..."}, down{"DOWN+NOT_RESPONDING", "Not responding"};
  EXPECT_EQ(drain_action(true, idle), DrainAction::drain);
  EXPECT_EQ(drain_action(true, mixed), DrainAction::drain);
  EXPECT_EQ(drain_action(true, ours), DrainAction::none);    // drained already
  EXPECT_EQ(drain_action(true, admins), DrainAction::none);  // never replace another reason
  EXPECT_EQ(drain_action(true, down), DrainAction::none);
  EXPECT_EQ(drain_action(false, ours), DrainAction::resume);
  EXPECT_EQ(drain_action(false, draining_ours), DrainAction::resume);
  EXPECT_EQ(drain_action(false, admins), DrainAction::none);  // the administrator resumes it
  EXPECT_EQ(drain_action(false, down), DrainAction::none);    // DOWN is Slurm's own business
  EXPECT_EQ(drain_action(false, idle), DrainAction::none);
}

TEST(SlurmDrain, NodeNameFromSlurmdElseTheShortHostName) {
  setenv("SLURMD_NODENAME", "node7", 1);
  EXPECT_EQ(slurm_node_name(), "node7");
  unsetenv("SLURMD_NODENAME");
  const std::string name = slurm_node_name();
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(name.find('.'), std::string::npos);
}
