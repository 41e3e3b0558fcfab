// `hyperslice check`: a cluster accepted or rejected in one command. Every rank measures its own part at
// once (its core's best rate, and the same exact sums on every ISA its CPU has), rank 0 gathers them with
// the placement survey and judges each node against its peers of the same CPU model (docs/check.md).
//
// Stages: placement (the survey's pitfalls), compute (the best kernel rate of each core), memory (a
// STREAM-like copy and triad on every rank at once), links (every pair under load, mpiGraph's pattern),
// bits (every kernel's exact sum on every ISA). Against a baseline (an earlier check's JSON) each
// metric must stay within its bounds.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "check/metric.hpp"
#include "measure/discipline.hpp"
#include "measure/links.hpp"
#include "measure/memory.hpp"
#include "topology/machine.hpp"
#include "topology/pitfalls.hpp"

namespace hs::check {

enum class Status { pass, warn, fail };  // in order of severity
std::string_view name(Status s) noexcept;

struct Finding {
  std::string stage;  // placement | compute | memory | links | bits
  Status status = Status::pass;
  std::string message;
};

struct CheckOptions {
  bool placement = true, compute = true, memory = true, links = true, bits = true;
  double tolerance = 0.15;  // a core this far below its peers' median fails its node
  bool tolerance_given = false;  // --tolerance on the command line: it replaces a baseline's lower bounds
  measure::Discipline discipline{0.05, 3};
  int memory_passes = 5;  // timed, after one untimed
  int link_steps = measure::kPatternMaxSteps;  // of the links pattern, at most (sampled evenly past it)
  bool node = false;  // --node: one process, one thread per core standing for a rank (the report says cores)
  std::string expect;  // --expect as given (check/expect.hpp judges it); empty: none
};
// --quick: the same stages in a fraction of the time -- repetitions of 0.01 s, 3 memory passes, at
// most 8 steps of the links pattern.
void make_quick(CheckOptions& o);
// "placement,compute,memory,links,bits" (any subset, in any order) into the switches; throws UserError.
void select_stages(CheckOptions& o, std::string_view what, std::string_view list);
// (0, 1): a fraction; throws UserError naming `what`.
double parse_tolerance(std::string_view what, std::string_view text);

// What one rank measured.
struct RankFacts {
  int rank = 0;
  std::string host, cpu_model;
  double best_rate = 0;  // terms/s of the fastest ISA, best of the repetitions (compute stage)
  std::vector<double> rate_samples;  // that ISA's every repetition, terms/s
  std::string best_isa;
  int numa = -1;                   // the NUMA node of its core (memory stage)
  measure::MemoryResult memory;    // memory stage: bytes/s of copy and triad, best pass
  std::vector<measure::PairLink> links;  // links stage: one per step of the pattern (modes/check_mode.cpp)
  std::map<std::string, std::map<std::string, std::string>> bits;  // kernel -> ISA -> pi_hex (bits stage)
};
// `machine` gives the CPU model, the NUMA node of the rank's (pinned) core and the last-level cache
// share that sizes the memory stage's arrays; `sync` lines every rank up before each memory pass.
RankFacts measure_this_rank(const CheckOptions& o, int rank, const std::string& host, const topology::Machine& machine,
                            const std::function<void()>& sync);
// A second round's measurements into the first: the better core rate, memory bandwidth and each step's
// link bandwidth and latency of the two (with their samples); the rest of `f` stays.
void keep_better(RankFacts& f, const RankFacts& again);
nlohmann::json to_json(const RankFacts& f);
RankFacts rank_facts_from_json(const nlohmann::json& j);

// The exact sums of the bits stage: each kernel over kBitsTerms terms (the precise first terms, whole
// blocks and a partial last one), on one ISA.
inline constexpr unsigned long long kBitsTerms = 3ull * (1ull << 20) + 12345;

struct NodeVerdict {
  std::string host, cpu_model;
  std::vector<int> ranks;
  double median_rate = 0, slowest_rate = 0;
  int slowest_rank = -1;
  double copy = 0, triad = 0;                   // memory stage: the node's ranks together, bytes/s
  std::map<int, std::pair<double, double>> numa;  // NUMA node -> (copy, triad) of its ranks together
  Status status = Status::pass;
  std::vector<Finding> findings;
};

// One host pair of the links stage: the slowest of its rank pairs' bandwidths, the worst latency.
struct HostLink {
  std::string from, to;
  int pairs = 0;  // rank pairs measured between them
  double bandwidth = 0, latency = 0;
  bool slow = false;
  std::vector<double> bandwidth_samples, latency_samples;  // every batch of every rank pair
};

// A baseline: the metrics of an earlier check's JSON (`--save-baseline` writes one), each with its bounds.
struct Baseline {
  std::string file, version, date;
  int schema_version = 0;
  std::vector<Metric> metrics;
};
// What judging against a baseline found, for the report.
struct BaselineSummary {
  std::string file, version, date;
  int compared = 0, outside = 0;  // metrics of this run found in the baseline; those outside their bounds
  std::map<std::string, double> values;  // the baseline's value of each metric compared, by its key()
};

struct CheckReport {
  CheckOptions options;
  std::vector<RankFacts> ranks;
  std::vector<NodeVerdict> nodes;         // in order of their first rank
  std::vector<HostLink> links;            // links stage: host x host, in order of the hosts
  std::vector<Finding> cluster_findings;  // placement: the job's layout; links: slow host pairs
  std::vector<topology::Pitfall> warnings;
  std::vector<Metric> metrics;            // what a baseline keeps and `compare` tests (check/metrics.cpp)
  std::optional<BaselineSummary> baseline;
  Status status = Status::pass;  // the worst of every node and the cluster's findings
};

// The verdict from the facts alone (pure: what the unit tests feed).
CheckReport judge(std::vector<RankFacts> ranks, std::vector<topology::Pitfall> placement, const CheckOptions& o);

// The report's status again from its nodes' and the cluster's findings.
void settle(CheckReport& r);
// The report's metrics from its nodes, CPU models and host pairs, with the default bounds (judge() calls it).
std::vector<Metric> metrics_of(const CheckReport& r);

// A check's JSON (its --json output or a --save-baseline file) read for its metrics: UserError naming
// `what` and the file when it cannot be read, is not a check's JSON, has another JSON schema version or
// a bound out of range.
Baseline read_check_json(std::string_view what, const std::string& path);
// The same as a baseline, also refused when another version of hyperslice wrote it (whose kernels may
// run at other speeds).
Baseline read_baseline(std::string_view what, const std::string& path);
// Judges the report's metrics against the baseline's bounds (a throughput's lower bound replaced by
// --tolerance when it was given; an unbounded metric stays so):
// a node's metric outside fails the node, a CPU model's or a host pair's the cluster; fills r.baseline.
void judge_against(CheckReport& r, const Baseline& b);

nlohmann::json to_json(const CheckReport& r);  // schema: docs/schema/check.schema.json
std::string to_text(const CheckReport& r);

}  // namespace hs::check
