// Machine summaries from hwloc synthetic and XML topologies: big-machine logic tested on a small box.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "topology/topology_error.hpp"
#include "topology/machine.hpp"

using namespace hs::topology;

TEST(Machine, OnePackageTwoCores) {
  const HostSummary h = Machine::synthetic("pack:1 core:2 pu:1").summary("small");
  EXPECT_EQ(h.host, "small");
  EXPECT_EQ(h.packages, 1);
  EXPECT_EQ(h.cores, 2);
  EXPECT_EQ(h.pus, 2);
  EXPECT_EQ(h.smt(), 1);
  EXPECT_EQ(h.allowed_pus, "0-1");
  EXPECT_EQ(h.core_of_pu, (std::vector<int>{0, 1}));
}

TEST(Machine, TwoPackagesTwoNumaEightCoresSmt) {
  const HostSummary h = Machine::synthetic("pack:2 numa:2 core:8 pu:2").summary("big");
  EXPECT_EQ(h.packages, 2);
  EXPECT_EQ(h.numa_nodes, 4);
  EXPECT_EQ(h.cores, 32);
  EXPECT_EQ(h.pus, 64);
  EXPECT_EQ(h.smt(), 2);
  ASSERT_EQ(h.numa_list.size(), 4u);
  EXPECT_EQ(h.numa_list[2].cores, 8);
  EXPECT_EQ(h.numa_list[2].cores_list, "16-23");
  EXPECT_EQ(h.numa_list[2].pus_list, "32-47");
  EXPECT_EQ(h.package_list[1].cores_list, "16-31");
  EXPECT_EQ(h.core_of_pu[33], 16);  // SMT siblings 32 and 33 share core 16
  EXPECT_EQ(h.core_of_pu[32], 16);
}

TEST(Machine, SixtyFourCoresSmtOnePackageWithL3Groups) {
  const HostSummary h = Machine::synthetic("pack:1 l3:8 core:8 pu:2").summary("wide");
  EXPECT_EQ(h.cores, 64);
  EXPECT_EQ(h.pus, 128);
  std::vector<Cache> l3;
  for (const auto& c : h.caches)
    if (c.level == 3) l3.push_back(c);
  ASSERT_EQ(l3.size(), 8u);
  EXPECT_EQ(l3[7].where.cores_list, "56-63");
  EXPECT_EQ(l3[7].where.pus_list, "112-127");
  EXPECT_EQ(l3[7].type, "unified");
  ASSERT_EQ(h.smt_siblings.size(), 64u);
  EXPECT_EQ(h.smt_siblings[5], "10-11");
}

TEST(Machine, XmlRoundTrip) {
  const Machine m = Machine::synthetic("pack:2 numa:2 core:8 pu:2");
  const auto path = std::filesystem::temp_directory_path() / "hyperslice_topo_test.xml";
  ASSERT_EQ(hwloc_topology_export_xml(m.get(), path.c_str(), 0), 0);
  const HostSummary a = m.summary("x"), b = Machine::from_xml(path).summary("x");
  EXPECT_EQ(b.cores, a.cores);
  EXPECT_EQ(b.pus, a.pus);
  EXPECT_EQ(b.numa_nodes, a.numa_nodes);
  EXPECT_EQ(b.core_of_pu, a.core_of_pu);
  std::filesystem::remove(path);
}

TEST(Machine, BadInputsAreTopologyErrors) {
  EXPECT_THROW(Machine::synthetic("garbage"), TopologyError);
  EXPECT_THROW(Machine::synthetic("pack:0 core:2 pu:1"), TopologyError);
  EXPECT_THROW(Machine::from_xml("/nonexistent/topo.xml"), TopologyError);
  const auto path = std::filesystem::temp_directory_path() / "hyperslice_not_xml.xml";
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("this is not xml\n", f);
  std::fclose(f);
  EXPECT_THROW(Machine::from_xml(path), TopologyError);
  std::filesystem::remove(path);
}

TEST(Machine, ThisHostHasCoresAndAnAllowedSet) {
  const HostSummary h = Machine::this_host().summary("here");
  EXPECT_GE(h.cores, 1);
  EXPECT_GE(h.pus, h.cores);
  EXPECT_FALSE(h.allowed_pus.empty());
}
