// Machine: loading topologies through hwloc 2.9 and summarising them.
#include "topology/machine.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "topology/error.hpp"

namespace hs::topology {
namespace {

hwloc_topology_t new_topology() {
  hwloc_topology_t t;
  if (hwloc_topology_init(&t) != 0) throw TopologyError("hwloc: cannot initialise a topology");
  return t;
}

Group group_of(hwloc_topology_t topo, hwloc_obj_t obj) {
  Group g;
  g.index = static_cast<int>(obj->logical_index);
  g.cores = hwloc_get_nbobjs_inside_cpuset_by_type(topo, obj->cpuset, HWLOC_OBJ_CORE);
  g.pus = hwloc_get_nbobjs_inside_cpuset_by_type(topo, obj->cpuset, HWLOC_OBJ_PU);
  g.memory_bytes = obj->type == HWLOC_OBJ_NUMANODE ? obj->attr->numanode.local_memory : 0;
  g.pus_list = list_string(obj->cpuset);
  std::vector<int> cores;
  hwloc_obj_t core = nullptr;
  while ((core = hwloc_get_next_obj_inside_cpuset_by_type(topo, obj->cpuset, HWLOC_OBJ_CORE, core)))
    cores.push_back(static_cast<int>(core->logical_index));
  g.cores_list = list_string(cores);
  return g;
}

std::vector<Group> groups(hwloc_topology_t topo, hwloc_obj_type_t type) {
  std::vector<Group> out;
  const int n = hwloc_get_nbobjs_by_type(topo, type);
  for (int i = 0; i < n; ++i) out.push_back(group_of(topo, hwloc_get_obj_by_type(topo, type, static_cast<unsigned>(i))));
  return out;
}

}  // namespace

std::string list_string(hwloc_const_bitmap_t set) {
  char* s = nullptr;
  hwloc_bitmap_list_asprintf(&s, set);
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

std::vector<int> list_values(hwloc_const_bitmap_t set) {
  std::vector<int> out;
  int i = -1;
  while ((i = hwloc_bitmap_next(set, i)) != -1) out.push_back(i);
  return out;
}

std::string list_string(const std::vector<int>& values) {
  hwloc_bitmap_t b = hwloc_bitmap_alloc();
  for (int v : values) hwloc_bitmap_set(b, static_cast<unsigned>(v));
  std::string s = list_string(b);
  hwloc_bitmap_free(b);
  return s;
}

Machine Machine::this_host() {
  hwloc_topology_t t = new_topology();
  if (hwloc_topology_load(t) != 0) {
    hwloc_topology_destroy(t);
    throw TopologyError("hwloc: cannot load this host's topology");
  }
  return Machine(t, true, "this host");
}

Machine Machine::synthetic(const std::string& description) {
  hwloc_topology_t t = new_topology();
  if (hwloc_topology_set_synthetic(t, description.c_str()) != 0 || hwloc_topology_load(t) != 0) {
    hwloc_topology_destroy(t);
    throw TopologyError(fmt::format("--synthetic: hwloc cannot use '{}' (expected e.g. \"pack:2 numa:2 core:8 pu:2\")",
                                    description));
  }
  return Machine(t, false, "synthetic \"" + description + "\"");
}

Machine Machine::from_xml(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) throw TopologyError(fmt::format("--input: cannot read '{}': {}", path, std::strerror(errno)));
  hwloc_topology_t t = new_topology();
  if (hwloc_topology_set_xml(t, path.c_str()) != 0 || hwloc_topology_load(t) != 0) {
    hwloc_topology_destroy(t);
    throw TopologyError(fmt::format("--input: '{}' is not an hwloc XML topology", path));
  }
  return Machine(t, false, "xml \"" + path + "\"");
}

Machine::~Machine() {
  if (topo_) hwloc_topology_destroy(topo_);
}
Machine::Machine(Machine&& o) noexcept : topo_(o.topo_), this_host_(o.this_host_), source_(std::move(o.source_)) {
  o.topo_ = nullptr;
}
Machine& Machine::operator=(Machine&& o) noexcept {
  std::swap(topo_, o.topo_);
  std::swap(this_host_, o.this_host_);
  std::swap(source_, o.source_);
  return *this;
}

HostSummary Machine::summary(const std::string& host) const {
  HostSummary s;
  s.host = host;
  s.source = source_;
  s.packages = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PACKAGE);
  s.numa_nodes = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_NUMANODE);
  s.l3_groups = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_L3CACHE);
  s.l2_groups = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_L2CACHE);
  s.cores = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_CORE);
  s.pus = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PU);
  if (s.packages == 0) s.packages = 1;  // hwloc may omit a lone package on some VMs
  s.memory_bytes = hwloc_get_root_obj(topo_)->total_memory;
  s.allowed_pus = list_string(hwloc_topology_get_allowed_cpuset(topo_));
  for (int i = 0; i < s.pus; ++i) {
    hwloc_obj_t pu = hwloc_get_obj_by_type(topo_, HWLOC_OBJ_PU, static_cast<unsigned>(i));
    const auto os = static_cast<std::size_t>(pu->os_index);
    if (s.core_of_pu.size() <= os) s.core_of_pu.resize(os + 1, -1);
    hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo_, HWLOC_OBJ_CORE, pu);
    s.core_of_pu[os] = core ? static_cast<int>(core->logical_index) : i;
  }
  if (s.cores == 0) s.cores = s.pus;
  s.package_list = groups(topo_, HWLOC_OBJ_PACKAGE);
  s.numa_list = groups(topo_, HWLOC_OBJ_NUMANODE);
  s.l3_list = groups(topo_, HWLOC_OBJ_L3CACHE);
  return s;
}

std::vector<int> Machine::cores_of(hwloc_const_cpuset_t set) const {
  std::vector<int> out;
  hwloc_obj_t core = nullptr;
  while ((core = hwloc_get_next_obj_by_type(topo_, HWLOC_OBJ_CORE, core)))
    if (hwloc_bitmap_intersects(core->cpuset, set)) out.push_back(static_cast<int>(core->logical_index));
  return out;
}

int Machine::numa_of_pu(int pu) const {
  hwloc_obj_t obj = hwloc_get_pu_obj_by_os_index(topo_, static_cast<unsigned>(pu));
  if (!obj) return -1;
  hwloc_obj_t n = nullptr;
  while ((n = hwloc_get_next_obj_by_type(topo_, HWLOC_OBJ_NUMANODE, n)))
    if (hwloc_bitmap_isset(n->cpuset, static_cast<unsigned>(pu))) return static_cast<int>(n->logical_index);
  return -1;
}

}  // namespace hs::topology
