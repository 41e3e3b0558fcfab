#include "modes/output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>

#include "base/user_error.hpp"

#include "base/version.hpp"
#include "job/context.hpp"
#include "job/gather.hpp"
#include "job/pinning.hpp"
#include "kernels/series.hpp"

namespace hs::modes {

nlohmann::json with_context(nlohmann::json j, const Provenance& p, const topology::Machine& machine) {
  j["schema_version"] = kJsonSchemaVersion;
  j["context"] = job::to_json(job::make_context(p.argv, machine, p.started));
  return j;
}

std::string context_line(const Provenance& p, const topology::Machine& machine) {
  return job::header_line(job::make_context(p.argv, machine, p.started));
}

void print_report(const OutputOptions& o, const topology::Machine& machine, const nlohmann::json& j,
                  const std::string& text, int indent) {
  if (o.json)
    std::cout << with_context(j, o.provenance, machine).dump(indent) << '\n';
  else
    std::cout << context_line(o.provenance, machine) << '\n' << text;
}

void print_warnings(const std::vector<topology::Pitfall>& warnings) {
  for (const auto& w : warnings) std::fprintf(stderr, "hyperslice: warning: %s\n", w.message.c_str());
}

topology::Survey survey_this_job(MPI_Comm comm, const topology::Machine& machine, const SurveyOptions& o) {
  const int threads = job::resolve_threads(o.threads, machine);
  const auto pinner = job::make_pinner(comm, machine, o.pin, threads);
  return job::survey_ranks(comm, *pinner,
                           {threads, o.threads > 0, std::string(kernels::name(kernels::best_isa()))});
}

std::string html_problem(const std::string& path) {
  if (path.empty() || path == "-") return "";
  if (std::filesystem::is_directory(path)) return fmt::format("--html: '{}' is a folder; name the file to write", path);
  const auto dir = std::filesystem::absolute(path).parent_path();
  if (access(dir.c_str(), W_OK) != 0) return fmt::format("--html: cannot write into '{}': {}", dir.string(), std::strerror(errno));
  return "";
}

void write_html(const std::string& path, const std::vector<report::Document>& docs) {
  const std::string page = report::render_html(docs);
  if (path == "-") {
    std::cout << page;
    return;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << page;
    if (!out.flush()) throw UserError(fmt::format("--html: cannot write '{}'", tmp));
  }
  std::filesystem::rename(tmp, path);
}

std::string self_command() {
  std::error_code ec;
  const auto self = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) return "hyperslice";
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / "hyperslice";
    if (std::filesystem::equivalent(candidate, self, ec) && !ec) return "hyperslice";
  }
  return self.string();
}

}  // namespace hs::modes
