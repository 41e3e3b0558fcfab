// Machine: one hwloc topology (this host, a synthetic description or an XML file) and the summary
// hyperslice reports and reasons about: packages, NUMA nodes, caches, cores, PUs, allowed cpuset.
#pragma once

#include <hwloc.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hs::topology {

// A group of cores: a package, a NUMA node or a cache. hwloc's two numberings, labelled as lstopo does:
// L# (logical index, hwloc's topology order) and P# (the OS's index; for PUs, what taskset and
// /proc/cpuinfo call a CPU).
struct Group {
  int index = 0;  // L# of the package, NUMA node or cache
  int cores = 0;
  int pus = 0;
  std::uint64_t memory_bytes = 0;  // the memory below it (packages, NUMA nodes); 0 for caches
  std::string pus_list;            // P# of its PUs, hwloc list syntax ("0-7,16-23")
  std::string cores_list;          // L# of its cores
};

// One cache instance as hwloc reports it (level, type, size, line size, which cores share it).
struct Cache {
  int level = 0;               // 1, 2, 3 (4, 5 where they exist)
  std::string type;            // "data", "instruction" or "unified"
  std::uint64_t size_bytes = 0;
  int line_bytes = 0;          // 0 when hwloc does not know it
  Group where;                 // L#, the cores sharing it, their PUs
};

struct HostSummary {
  std::string host;
  std::string source;     // "this host", "synthetic ...", "xml ..."
  std::string cpu_model;  // hwloc's CPUModel of the first package; empty when unknown (synthetic)
  int packages = 0, numa_nodes = 0, cores = 0, pus = 0;
  std::uint64_t memory_bytes = 0;
  std::string allowed_pus;      // what this process may use
  std::vector<int> core_of_pu;  // by PU OS index: logical core index, -1 where no PU
  std::vector<Group> package_list, numa_list;
  std::vector<Cache> caches;               // by level, then type, then L#
  std::vector<std::string> smt_siblings;   // per core (L# order): its PUs (P#), hwloc list syntax
  [[nodiscard]] int smt() const { return cores > 0 ? pus / cores : 1; }
};

class Machine {
 public:
  static Machine this_host();
  // hwloc synthetic syntax, e.g. "pack:2 numa:2 core:8 pu:2".
  // `what` names the input in error messages (the CLI passes its flag).
  static Machine synthetic(const std::string& description, std::string_view what = "synthetic topology");
  static Machine from_xml(const std::string& path, std::string_view what = "XML topology");
  ~Machine();
  Machine(Machine&&) noexcept;
  Machine& operator=(Machine&&) noexcept;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  [[nodiscard]] hwloc_topology_t get() const noexcept { return topo_; }
  [[nodiscard]] bool is_this_host() const noexcept { return this_host_; }
  [[nodiscard]] HostSummary summary(const std::string& host) const;
  // Logical core indexes intersecting a set of PUs (OS indexes).
  [[nodiscard]] std::vector<int> cores_of(hwloc_const_cpuset_t set) const;
  [[nodiscard]] int numa_of_pu(int pu) const;
  // The first package's CPU model as hwloc reads it (the CPUModel info attribute: /proc/cpuinfo's
  // "model name" on Linux x86); empty when the topology does not say (synthetic ones never do).
  [[nodiscard]] std::string cpu_model() const;

 private:
  Machine(hwloc_topology_t t, bool this_host, std::string source)
      : topo_(t), this_host_(this_host), source_(std::move(source)) {}
  hwloc_topology_t topo_ = nullptr;
  bool this_host_ = false;
  std::string source_;
};

// hwloc list syntax for a bitmap ("0-3,8").
std::string list_string(hwloc_const_bitmap_t set);
std::string list_string(const std::vector<int>& values);
std::vector<int> list_values(hwloc_const_bitmap_t set);

}  // namespace hs::topology
