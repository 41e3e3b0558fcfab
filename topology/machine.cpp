// Machine: loading topologies through hwloc 2.9 and summarising them.
#include "topology/machine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/bounded_file.hpp"
#include "topology/topology_error.hpp"

namespace hs::topology {
namespace {

hwloc_topology_t new_topology() {
  hwloc_topology_t t;
  if (hwloc_topology_init(&t) != 0) throw TopologyError("hwloc: cannot initialise a topology");
  // Instruction caches too, as lstopo shows them (hwloc drops them by default: hwloc_topology_set_type_filter).
  hwloc_topology_set_icache_types_filter(t, HWLOC_TYPE_FILTER_KEEP_ALL);
  return t;
}

// One pass over each group's PUs with a PU -> core map: linear in the machine's size. Asking hwloc for
// the cores inside every group was quadratic: `pack:81 core:31 l3:8 pu:1` took minutes (found by fuzzing).
std::vector<Group> groups(hwloc_topology_t topo, hwloc_obj_type_t type, const std::vector<int>& core_of_pu) {
  std::vector<Group> out;
  const int n = hwloc_get_nbobjs_by_type(topo, type);
  for (int i = 0; i < n; ++i) {
    hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, static_cast<unsigned>(i));
    Group g;
    g.index = static_cast<int>(obj->logical_index);
    g.memory_bytes = hwloc_obj_type_is_cache(type) ? 0 : obj->total_memory;
    g.pus_list = list_string(obj->cpuset);
    std::vector<int> cores;
    for (int pu = hwloc_bitmap_first(obj->cpuset); pu != -1; pu = hwloc_bitmap_next(obj->cpuset, pu)) {
      ++g.pus;
      const auto p = static_cast<std::size_t>(pu);
      if (p < core_of_pu.size() && core_of_pu[p] >= 0) cores.push_back(core_of_pu[p]);
    }
    std::sort(cores.begin(), cores.end());
    cores.erase(std::unique(cores.begin(), cores.end()), cores.end());
    g.cores = static_cast<int>(cores.size());
    g.cores_list = list_string(cores);
    out.push_back(std::move(g));
  }
  return out;
}

// Every cache hwloc knows, level by level (data and unified before instruction), each with its sharers.
std::vector<Cache> caches(hwloc_topology_t topo, const std::vector<int>& core_of_pu) {
  std::vector<Cache> out;
  for (hwloc_obj_type_t type : {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
                                HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE}) {
    const auto where = groups(topo, type, core_of_pu);
    for (std::size_t i = 0; i < where.size(); ++i) {
      const hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, static_cast<unsigned>(i));
      Cache c;
      c.level = static_cast<int>(obj->attr->cache.depth);
      c.type = obj->attr->cache.type == HWLOC_OBJ_CACHE_DATA          ? "data"
               : obj->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ? "instruction"
                                                                      : "unified";
      c.size_bytes = obj->attr->cache.size;
      c.line_bytes = static_cast<int>(obj->attr->cache.linesize);
      c.where = where[i];
      out.push_back(std::move(c));
    }
  }
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

Machine Machine::synthetic(const std::string& description, std::string_view what) {
  // hwloc builds whatever it is given, and parses more loosely than its documentation says (fuzzing
  // found "pack:100000 core:100000", a bare "66666633" level, and a mangled type name whose count hwloc
  // still read, each running for minutes). So check the grammar first -- levels "type:N" or "N" with
  // optional "(attributes)", memory levels "[...]" -- and bound the product of the counts.
  // Real nodes have a few thousand PUs. hwloc 2.9's synthetic loader is superlinear in a level's arity
  // (measured with lstopo-no-graphics -i: "2 8192" 31 s, "16000 1" 237 s, "888 59" 36 s, but the worst
  // 4096-PU shape, "4096 1", 2.2 s), so the cap is 4096, not what memory would allow.
  constexpr double kMaxPus = 1 << 12;
  auto bad = [&] {
    std::string shown;  // one printable line, whatever bytes came in
    for (unsigned char c : description) shown += std::isprint(c) ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02x}", c);
    return TopologyError(
        fmt::format("{}: hwloc cannot use '{}' (expected e.g. \"pack:2 numa:2 core:8 pu:2\")", what, shown));
  };
  double pus = 1;
  std::istringstream levels(description);
  std::string level;
  int count_levels = 0;
  while (levels >> level) {
    if (level.front() == '[') {
      if (level.back() != ']') throw bad();
      continue;
    }
    if (const auto paren = level.find('('); paren != std::string::npos) {
      if (level.back() != ')' || paren == 0) throw bad();
      level.resize(paren);
    }
    const auto colon = level.find(':');
    const std::string type = colon == std::string::npos ? "" : level.substr(0, colon);
    const std::string count = colon == std::string::npos ? level : level.substr(colon + 1);
    // A type name starts with a letter ("l3" is one, "644pu" is not: hwloc reads the digits as a count
    // and the fuzzer's "644pu:222" ran for minutes in lstopo-no-graphics -i too).
    const bool type_ok = colon == std::string::npos ||
                         (!type.empty() && std::isalpha(static_cast<unsigned char>(type[0])) != 0 &&
                          std::all_of(type.begin(), type.end(), [](unsigned char c) { return std::isalnum(c) != 0; }));
    const bool count_ok = !count.empty() && count.size() <= 9 &&
                          std::all_of(count.begin(), count.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!type_ok || !count_ok) throw bad();
    pus *= std::strtod(count.c_str(), nullptr);
    ++count_levels;
  }
  if (count_levels == 0) throw bad();
  if (pus > kMaxPus)
    throw TopologyError(fmt::format("{}: '{}' describes about {:.3g} PUs; at most {} are supported",
                                    what, description, pus, static_cast<long>(kMaxPus)));
  hwloc_topology_t t = new_topology();
  if (hwloc_topology_set_synthetic(t, description.c_str()) != 0 || hwloc_topology_load(t) != 0) {
    hwloc_topology_destroy(t);
    throw TopologyError(
        fmt::format("{}: hwloc cannot use '{}' (expected e.g. \"pack:2 numa:2 core:8 pu:2\")", what, description));
  }
  return Machine(t, false, "synthetic \"" + description + "\"");
}

Machine Machine::from_xml(const std::string& path, std::string_view what) {
  // Read with a bound by us, not by hwloc: a FIFO or /dev/zero must not hang the job. hwloc wants the
  // length with the ending NUL (hwloc_topology_set_xmlbuffer, hwloc 2.9).
  constexpr std::size_t kMaxXmlBytes = 64u << 20;  // lstopo's XML of a 1,000-core node is a few MiB
  const std::string xml = read_bounded_file<TopologyError>(path, kMaxXmlBytes, what, "an hwloc XML topology");
  hwloc_topology_t t = new_topology();
  if (hwloc_topology_set_xmlbuffer(t, xml.c_str(), static_cast<int>(xml.size() + 1)) != 0 ||
      hwloc_topology_load(t) != 0) {
    hwloc_topology_destroy(t);
    throw TopologyError(fmt::format("{}: '{}' is not an hwloc XML topology", what, path));
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

std::string Machine::cpu_model() const {
  for (hwloc_obj_t o = nullptr; (o = hwloc_get_next_obj_by_type(topo_, HWLOC_OBJ_PACKAGE, o)) != nullptr;)
    if (const char* model = hwloc_obj_get_info_by_name(o, "CPUModel")) return model;
  return {};
}

HostSummary Machine::summary(const std::string& host) const {
  HostSummary s;
  s.host = host;
  s.source = source_;
  s.packages = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PACKAGE);
  s.numa_nodes = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_NUMANODE);
  s.cpu_model = cpu_model();
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
  s.package_list = groups(topo_, HWLOC_OBJ_PACKAGE, s.core_of_pu);
  s.numa_list = groups(topo_, HWLOC_OBJ_NUMANODE, s.core_of_pu);
  s.caches = caches(topo_, s.core_of_pu);
  for (hwloc_obj_t core = nullptr; (core = hwloc_get_next_obj_by_type(topo_, HWLOC_OBJ_CORE, core)) != nullptr;)
    s.smt_siblings.push_back(list_string(core->cpuset));
  if (s.smt_siblings.empty())  // no core level (some VMs, some synthetic descriptions): one PU per core
    for (int i = 0; i < s.pus; ++i)
      s.smt_siblings.push_back(list_string(hwloc_get_obj_by_type(topo_, HWLOC_OBJ_PU, static_cast<unsigned>(i))->cpuset));
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
