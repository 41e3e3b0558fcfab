// A node that drains itself, as LBNL's NHC does when Slurm runs it as HealthCheckProgram: a failing node
// is set DRAIN with a reason that says who set it ("hyperslice: ..."), unless it is drained or down
// already (never replace an administrator's reason); a passing node is resumed only when it is drained
// with a reason hyperslice wrote. Pure decisions on `scontrol show node -o` output, and the scontrol
// calls that carry them out.
#pragma once

#include <string>

namespace hs::launch {

inline constexpr const char* kDrainReasonPrefix = "hyperslice: ";

struct NodeState {
  std::string state;   // scontrol's State=, e.g. IDLE, IDLE+DRAIN, MIXED+DRAIN, DOWN+NOT_RESPONDING
  std::string reason;  // Reason= without its "[user@time]" suffix; empty when none
  [[nodiscard]] bool drained() const;  // DRAIN (draining or drained), DOWN or FAIL
};
// The fields of one `scontrol show node -o NAME` line; both empty when the line has none.
NodeState parse_scontrol_node(const std::string& line);

enum class DrainAction { none, drain, resume };
DrainAction drain_action(bool node_failed, const NodeState& now);

// Slurm's name of this node: SLURMD_NODENAME when set, else the host name up to its first dot.
std::string slurm_node_name();

// What --drain did, for the report: "drained node1: hyperslice: ...", "resumed node1", "node1 left as
// it is (IDLE+DRAIN: another reason)", or why scontrol could not be asked.
struct DrainOutcome {
  DrainAction action = DrainAction::none;
  bool ok = true;
  std::string words;
};
// Reads the node's state with scontrol, decides, and sets it; `reason` is the first failure's words.
DrainOutcome drain_or_resume(const std::string& node, bool node_failed, const std::string& reason);

}  // namespace hs::launch
