#include "job/context.hpp"

#include <mpi.h>

#include <ctime>

#include "base/shell.hpp"
#include "base/version.hpp"
#include "job/gather.hpp"

namespace hs::job {

std::string mpi_library_version() {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  MPI_Get_library_version(buf, &len);
  std::string s(buf, static_cast<std::size_t>(len));
  s = s.substr(0, s.find_first_of(",\n"));
  std::string out;  // tabs and runs of spaces as one space
  for (char ch : s) {
    if (ch == '\t') ch = ' ';
    if (ch != ' ' || (!out.empty() && out.back() != ' ')) out += ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Context make_context(const std::vector<std::string>& argv, const topology::Machine& machine, long long started) {
  const BuildInfo& b = build_info();
  Context c;
  c.version = version_text();
  c.git_commit = b.git_commit;
  c.build_type = b.build_type;
  c.compiler = b.compiler;
  c.mpi_library = mpi_library_version();
  c.hwloc_version = HWLOC_VERSION;
  const std::time_t t = static_cast<std::time_t>(started);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char date[32] = {};
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
  c.date = date;
  c.hostname = host_name();
  c.cpu_model = machine.cpu_model();
  c.command_line = shell_join(argv);
  return c;
}

nlohmann::json to_json(const Context& c) {
  auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"version", c.version},         {"git_commit", or_null(c.git_commit)},
          {"build_type", c.build_type},   {"compiler", c.compiler},
          {"mpi_library", c.mpi_library}, {"hwloc_version", c.hwloc_version},
          {"date", c.date},               {"hostname", c.hostname},
          {"cpu_model", or_null(c.cpu_model)}, {"command_line", c.command_line}};
}

std::string header_line(const Context& c) {
  std::string host = c.hostname;
  if (!c.cpu_model.empty()) host += " (" + c.cpu_model + ")";
  return "hyperslice " + c.version + ", " + c.build_type + ", " + c.compiler + ", " + c.mpi_library + ", hwloc " +
         c.hwloc_version + " | " + host + " | " + c.date;
}

}  // namespace hs::job
