// Hostfiles: Open MPI's ("host [slots=N] [max_slots=N]", '#' comments) and Hydra's machinefiles
// ("host:N"). The one reader: `topology --recommend --hostfile` and the sweep (which asks the program,
// `hyperslice topology --recommend --hostfile F --json`, for the hosts) read a file the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hs::launch {

struct HostfileEntry {
  std::string host;
  int slots = 0;  // 0: not given
};

// Repeated hosts add their slots, as Open MPI does. Throws LaunchError naming `what`, the file and line.
std::vector<HostfileEntry> read_hostfile(const std::string& path, std::string_view what = "hostfile");

}  // namespace hs::launch
