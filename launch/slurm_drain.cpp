#include "launch/slurm_drain.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "base/shell.hpp"

namespace hs::launch {
namespace {

// The value of `key=` in a one-line `scontrol show node -o`: up to the next " Key=" (Reason may hold
// spaces; it is followed by another field or ends the line).
std::string field(const std::string& line, const std::string& key) {
  const std::string needle = " " + key + "=";
  auto at = (" " + line).find(needle);
  if (at == std::string::npos) return "";
  at += needle.size() - 1;  // in `line`, past "key="
  std::size_t end = at;
  while (end < line.size()) {
    const auto space = line.find(' ', end);
    if (space == std::string::npos) return line.substr(at);
    const auto eq = line.find('=', space + 1), next_space = line.find(' ', space + 1);
    if (eq != std::string::npos && (next_space == std::string::npos || eq < next_space)) {
      // " Word=" starts the next field when Word is one identifier (letters, digits, underscore, colon).
      const std::string word = line.substr(space + 1, eq - space - 1);
      if (!word.empty() && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:") ==
                               std::string::npos)
        return line.substr(at, space - at);
    }
    end = space + 1;
  }
  return line.substr(at);
}

// A command's stdout and exit status (-1 when it could not be run).
std::pair<std::string, int> run(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return {"", -1};
  std::array<char, 4096> buf{};
  while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';  // one line: it goes into our one-line messages
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

bool NodeState::drained() const {
  return state.find("DRAIN") != std::string::npos || state.find("DOWN") != std::string::npos ||
         state.find("FAIL") != std::string::npos;
}

NodeState parse_scontrol_node(const std::string& line) {
  NodeState s{field(line, "State"), field(line, "Reason")};
  if (const auto stamp = s.reason.rfind(" ["); stamp != std::string::npos && s.reason.back() == ']')
    s.reason.resize(stamp);  // "why [root@2026-12-02T16:00:00]"
  if (s.reason == "(null)") s.reason.clear();
  return s;
}

DrainAction drain_action(bool node_failed, const NodeState& now) {
  const bool ours = now.reason.rfind(kDrainReasonPrefix, 0) == 0;
  if (node_failed) return now.drained() ? DrainAction::none : DrainAction::drain;
  return now.drained() && ours && now.state.find("DRAIN") != std::string::npos ? DrainAction::resume : DrainAction::none;
}

std::string slurm_node_name() {
  if (const char* n = std::getenv("SLURMD_NODENAME"); n != nullptr && *n != '\0') return n;
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) return "";
  const std::string h(host.data());
  return h.substr(0, h.find('.'));
}

DrainOutcome drain_or_resume(const std::string& node, bool node_failed, const std::string& reason) {
  const auto [shown, status] = run("scontrol show node -o " + shell_quote(node));
  if (status != 0)
    return {DrainAction::none, false, fmt::format("--drain: 'scontrol show node {}' failed: {}", node, shown)};
  const NodeState now = parse_scontrol_node(shown);
  const DrainAction action = drain_action(node_failed, now);
  if (action == DrainAction::none)
    return {action, true,
            node_failed ? fmt::format("{} left as it is ({}{})", node, now.state,
                                      now.reason.empty() ? "" : ": " + now.reason)
                        : fmt::format("{} left as it is ({})", node, now.state)};
  // Slurm keeps the reason as given; one line, without quotes that would end the shell word.
  std::string why = std::string(kDrainReasonPrefix) + reason;
  for (char& c : why)
    if (c == '\n' || c == '\r') c = ' ';
  const std::string update =
      action == DrainAction::drain
          ? fmt::format("scontrol update NodeName={} State=DRAIN Reason={}", shell_quote(node), shell_quote(why))
          : fmt::format("scontrol update NodeName={} State=RESUME", shell_quote(node));
  const auto [said, rc] = run(update);
  if (rc != 0) return {action, false, fmt::format("--drain: '{}' failed: {}", update, said)};
  return {action, true, action == DrainAction::drain ? fmt::format("drained {}: {}", node, why)
                                                     : fmt::format("resumed {} (its drain was hyperslice's)", node)};
}

}  // namespace hs::launch
