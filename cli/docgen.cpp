// hyperslice-docgen OUTDIR [DATADIR]: writes the man pages (hyperslice.1, hyperslice-<subcommand>.1) and the bash
// completion (hyperslice.bash) from the same CLI11 App the executable parses with (cli/app.cpp) and the
// same settings table --help shows -- so --help, man and completion cannot drift apart. Run at build
// time; it never initialises MPI.
#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "base/version.hpp"
#include "cli/app.hpp"
#include "engine/settings.hpp"

namespace {

using hs::cli::Args;

// Prose the one-line descriptions cannot hold: DESCRIPTION paragraphs and EXAMPLES, per page.
struct PageText {
  std::vector<std::string> description;
  std::vector<std::pair<std::string, std::string>> examples;  // command, what it does
};

// `datadir`: where the configs are installed (PREFIX/share), so that the examples name the real files.
std::map<std::string, PageText> page_texts(const std::string& datadir) {
  const std::map<std::string, PageText> texts = {
      {"",
       {{"hyperslice computes pi from the Leibniz series (or the midpoint rule) in slices spread over MPI ranks, "
         "OpenMP threads and SIMD lanes, and reports where every rank and thread ran. The sum is exact and "
         "reproducible: the same bits for any ranks, threads, slices, schedule and instruction set, within 1 ulp "
         "of the true partial sum.",
         "It is an MPI program: start it with mpirun (or mpiexec, or srun) to use several processes or nodes; run "
         "alone it is one rank. Every rank parses the same arguments; rank 0 prints. Bad input gives one line on "
         "stderr from rank 0 and exit 2 on every rank."},
        {{"mpirun -np 4 hyperslice run --terms 1e10", "the series over 4 ranks"},
         {"mpirun -np 3 hyperslice hello", "the hello world, with each rank's and thread's binding"},
         {"hyperslice topology --recommend", "this host's hardware and the ranks x threads layout for it"},
         {"hyperslice --version", "version, build, MPI and hwloc libraries"}}}},
      {"run",
       {{"Sums the series in slices: rank 0 hands them out on request and computes too (dynamic schedule), or "
         "each rank takes a contiguous share (static). Within a rank, OpenMP threads split each slice into "
         "canonical 65,536-term blocks and the kernels of the best instruction set sum them in compensated lanes; "
         "an exact accumulator above the blocks rounds once at the end. Any two of --terms, --slices and "
         "--slice-size decide the third.",
         "Options may also come from a TOML file (--config), one key per setting as shown below; the command line "
         "overrides it key by key. --json prints one JSON object (docs/schema/run.schema.json) with the result, "
         "its exact bits (pi_hex), every rank's work and bindings, and the context: version, build, MPI library, "
         "host and time."},
        {{"mpirun -np 4 hyperslice run --config " + datadir + "/hyperslice/configs/default.toml",
          "the seed report's workload: 128 slices of 1,000,000 terms"},
         {"mpirun -np 2 -x OMP_NUM_THREADS=4 hyperslice run --terms 4e10 --verify",
          "2 ranks x 4 threads, checked against MPFR"},
         {"mpirun -np 8 hyperslice run --terms 1e12 --checkpoint pi.ckpt",
          "a long run that can be stopped (SIGTERM) and continued: the same line with --resume"}}}},
      {"hello",
       {{"Prints the seed report's line, \"Hello, World! I am process r of n on host.\", for every rank in rank "
         "order, then one row per thread: the PUs its rank may use, the PUs the thread may use and the one it ran "
         "on, its core and NUMA node, and the instruction set. Layout pitfalls (threads sharing a core, "
         "oversubscribed hosts, overlapping bindings) follow as warnings, each with its fix."},
        {{"mpirun -np 3 hyperslice hello", "the hello world and the bindings"},
         {"mpirun -np 2 --bind-to none hyperslice hello --threads 2 --json", "the same as JSON"}}}},
      {"topology",
       {{"Reports each host's packages, NUMA nodes, caches, cores and PUs as hwloc sees them, with the ranks "
         "living there. With --recommend it proposes a ranks x threads layout (one rank per NUMA domain or "
         "package, threads on its cores, SMT off unless --smt) and prints the mpirun command for it, naming the "
         "binary so that the command runs as printed. --synthetic and --input describe a machine that is not "
         "this one."},
        {{"hyperslice topology --recommend", "advice for this host"},
         {"hyperslice topology --synthetic \"pack:2 numa:2 core:16 pu:2\" --recommend",
          "advice for a two-socket machine"},
         {"mpirun --hostfile hosts --map-by ppr:1:node hyperslice topology", "every node of a cluster, one rank each"}}}},
      {"bench",
       {{"Checks every node of a cluster at a glance. Each rank pins itself to one core and measures, all ranks "
         "at once (the load a run puts on a node), every kernel on every instruction set its CPU has, in terms/s, "
         "and the two ceilings of that core at each width: the divider probe (independent divisions) and the "
         "add/multiply probe. Each value is the median of --repetitions runs of at least --min-time seconds, "
         "after a calibration that also warms the core up (Google Benchmark's discipline).",
         "Then rank 0 exchanges messages of 8 B to 4 MiB with each other rank in turn (a ping-pong, after the OSU "
         "latency and bandwidth tests). Rank 0 prints one table per host, one summary row per host and the links, "
         "and warns about any rank whose best rate or divider probe is 10% or more below the best rank's (a "
         "throttled, older or busy node), a host whose ranks differ that much, and a link far slower than the "
         "others of its kind."},
        {{"mpirun -np 4 hyperslice bench", "every core of a 4-core node"},
         {"mpirun --hostfile hosts --map-by ppr:1:node hyperslice bench --kernel leibniz-grouped",
          "one rank per node: is any node slower than the others?"},
         {"mpirun -np 2 hyperslice bench --json --no-links", "kernels only, as JSON"}}}},
      {"check",
       {{"Accepts or rejects a cluster in one command. Every rank pins itself to one core and, all ranks at "
         "once, measures its core's best rate (leibniz-grouped on every ISA, best of the repetitions), a "
         "STREAM-like copy and triad on its own arrays, every link under mpiGraph's load (in step k each rank "
         "sends to rank+k while receiving from rank-k) and the same exact sums (every kernel on every ISA its "
         "CPU has); rank 0 gathers them with the placement survey and judges each node against its peers of "
         "the same CPU model, and against a baseline when one is given.",
         "A node FAILs when one of its cores is more than --tolerance below the median of its CPU model's "
         "cores, when its triad is that far below its peers' median, when every link from it is slow, when one "
         "of its sums differs from the cluster's (a different CPU, build or library gives other bits), or when "
         "one of its metrics leaves the bounds of the --baseline (an earlier check's JSON, written by "
         "--save-baseline, whose bounds can be edited per metric). Placement warnings (the layout of the job) "
         "make the cluster WARN. Exit 5 when anything failed; a WARN exits 0."},
        {{"mpirun -np 2 hyperslice check", "every core of this node"},
         {"mpirun -np 2 hyperslice check --json --only compute,bits", "two cores' rates and sums, as JSON"},
         {"hyperslice check --only bits", "this CPU's exact sums only"},
         {"mpirun -np 2 hyperslice check --save-baseline base.json", "a baseline of a cluster in good order"},
         {"mpirun -np 2 hyperslice check --baseline base.json", "the same cluster after a change, within each metric's bounds"}}}},
      {"compare",
       {{"Compares two checks' JSON (--json output or --save-baseline files), metric by metric: each node's "
         "cores (median and slowest) and memory (copy, triad), each CPU model's cores, each host pair's "
         "bandwidth and latency. For each it prints the change and the two-sided Mann-Whitney U test over "
         "the samples behind the two values (every repetition, pass or batch of every rank), computed as "
         "Google Benchmark's compare.py computes it.",
         "A metric regressed when it is worse by more than --tolerance and the test's p-value is below "
         "--alpha; compare then exits 5. Few samples cannot be significant: 3 against 3 never reach p < 0.05."},
        {{"hyperslice compare base.json now.json", "what changed since the baseline, and whether it is noise"},
         {"hyperslice compare --json --tolerance 0.05 base.json now.json", "stricter, as JSON"}}}},
      {"report",
       {{"Draws what hyperslice wrote as JSON -- a check's --json output or --save-baseline file, bench, "
         "topology and hello --json, a sweep's results.json -- as one self-contained HTML page: inline CSS and "
         "SVG, nothing fetched, readable offline and printed. A check comes first as its verdict (the cluster "
         "and each node, with the reasons), then each file's section in the order given: per host a drawing of "
         "its packages, NUMA nodes, caches, cores and PUs with every rank and thread placed on its core and "
         "coloured per rank; each node's compute and memory against the cluster's median and the baseline; "
         "the links as host x host heatmaps of bandwidth and latency with the slow pairs outlined; the exact "
         "sums; a sweep's time and speedup plots; each file's context. check --html FILE draws the same page "
         "as the check ends."},
        {{"hyperslice report now.json --html check.html", "one check, to open in a browser or attach to a ticket"},
         {"hyperslice report base.json now.json --html cluster.html",
          "the baseline and today's check on one page (a sweep's results.json can join them)"},
         {"mpirun -np 2 hyperslice check --html check.html", "the check and its page at once"}}}},
  };
  return texts;
}

// roff: a backslash is \e, and a line must not start with '.' or '\''.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\\' ? std::string("\\e") : c == '-' ? std::string("\\-") : std::string(1, c);
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string option_synopsis(const CLI::Option* o) {
  std::string names;
  for (const auto& n : o->get_snames()) names += "-" + n + ", ";
  for (const auto& n : o->get_lnames()) names += "--" + n + ", ";
  if (names.empty()) return "\\fI" + roff(o->get_type_name()) + "\\fR";  // a positional: compare's files
  names.resize(names.size() - 2);
  std::string s = "\\fB" + roff(names) + "\\fR";
  if (!o->get_type_name().empty() && o->get_expected_min() > 0) s += " \\fI" + roff(o->get_type_name()) + "\\fR";
  return s;
}

std::string page_name(const std::string& sub) { return sub.empty() ? "hyperslice" : "hyperslice-" + sub; }

std::string man_page(const CLI::App& app, const std::string& sub, const std::string& datadir) {
  const CLI::App& cmd = sub.empty() ? app : *app.get_subcommand(sub);
  std::string upper = page_name(sub);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string version = hs::build_info().version;
  std::string m = fmt::format(".\\\" Generated by hyperslice-docgen from cli/app.cpp; do not edit.\n"
                              ".TH {} 1 \"\" \"hyperslice {}\" \"User Commands\"\n",
                              upper, version);
  std::string summary = sub.empty() ? "hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"
                                    : cmd.get_description();
  if (!summary.empty()) summary[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(summary[0])));
  m += fmt::format(".SH NAME\n{} \\- {}\n", roff(page_name(sub)), roff(summary));
  m += ".SH SYNOPSIS\n";
  if (sub.empty()) {
    m += "[\\fBmpirun\\fR \\fIMPIRUN-OPTIONS\\fR] \\fBhyperslice\\fR \\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n";
    m += "\\fBhyperslice\\fR \\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n";
  } else {
    m += fmt::format("[\\fBmpirun\\fR \\fIMPIRUN-OPTIONS\\fR] \\fBhyperslice {}\\fR [\\fIOPTIONS\\fR]\n", sub);
  }
  m += ".SH DESCRIPTION\n";
  const auto texts = page_texts(datadir);
  const auto& text = texts.at(sub);
  for (const auto& p : text.description) m += roff(p) + "\n.PP\n";
  if (sub.empty()) {
    m += ".SH SUBCOMMANDS\n";
    for (const auto* s : app.get_subcommands({}))
      m += fmt::format(".TP\n\\fB{}\\fR\n{} See \\fBhyperslice\\-{}\\fR(1).\n", s->get_name(),
                       roff(s->get_description()) + ".", s->get_name());
  }
  m += ".SH OPTIONS\n";
  for (const auto* o : cmd.get_options()) {
    if (o->get_name().empty()) continue;
    m += fmt::format(".TP\n{}\n{}\n", option_synopsis(o), roff(o->get_description()));
  }
  if (sub == "run") {
    m += ".SH ENVIRONMENT\n";
    for (const auto& v : hs::engine::run_environment())
      m += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(std::string(v.name)), roff(std::string(v.text)));
  }
  m += ".SH EXIT STATUS\n";
  for (const auto& c : hs::engine::exit_codes()) {
    if (sub != "run" && sub != "" && (c.name == "3" || c.name == "4")) continue;  // faults and --verify: run only
    if (sub != "check" && sub != "compare" && sub != "" && c.name == "5") continue;  // check and compare only
    m += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(std::string(c.name)), roff(std::string(c.text)));
  }
  m += ".SH EXAMPLES\n";
  // The command as text in bold, not as arguments of the .B macro, which would take its quotes for its own.
  for (const auto& [command, what] : text.examples)
    m += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(command), roff(what));
  if (sub.empty() || sub == "run")
    m += fmt::format(".SH FILES\n.TP\n.I {0}/hyperslice/configs/\nrun configs: default.toml (the seed's workload), "
                     "seed\\-table2.toml, seed\\-table3.toml; hostfile.example (an Open MPI hostfile)\n"
                     ".TP\n.I {0}/doc/hyperslice/\nthe README and docs/, with the JSON schemas under docs/schema/\n",
                     roff(datadir));
  m += ".SH SEE ALSO\n";
  std::vector<std::string> refs;
  if (!sub.empty()) refs.push_back("\\fBhyperslice\\fR(1)");
  for (const auto* s : app.get_subcommands({}))
    if (s->get_name() != sub) refs.push_back("\\fBhyperslice\\-" + s->get_name() + "\\fR(1)");
  for (const char* r : {"\\fBmpirun\\fR(1)", "\\fBlstopo\\fR(1)", "\\fBhwloc\\-bind\\fR(1)"}) refs.emplace_back(r);
  for (std::size_t i = 0; i < refs.size(); ++i) m += refs[i] + (i + 1 < refs.size() ? ",\n" : "\n");
  return m;
}

// Words to offer after an option: the choices of "a|b|c" (placeholders such as N or FILE left out).
std::vector<std::string> choices(const std::string& type_name) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    bool upper = !word.empty();
    for (char c : word) upper = upper && (std::isupper(static_cast<unsigned char>(c)) != 0);
    if (!word.empty() && !upper) out.push_back(word);
    word.clear();
  };
  for (char c : type_name) {
    if (c == '|')
      flush();
    else
      word += c;
  }
  flush();
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string completion(const CLI::App& app) {
  std::string subs, cases, value_cases;
  std::vector<std::string> sub_names, top = {"--help", "--version"};
  for (const auto* s : app.get_subcommands({})) {
    sub_names.push_back(s->get_name());
    std::vector<std::string> opts;
    for (const auto* o : s->get_options()) {
      if (o->get_name().empty()) continue;
      for (const auto& l : o->get_lnames()) opts.push_back("--" + l);
      if (o->get_expected_min() == 0) continue;
      const std::string type = o->get_type_name();
      const auto words = choices(type);
      const std::string key = s->get_name() + ":" + o->get_name();
      if (type == "FILE")
        value_cases += fmt::format("    {}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", key);
      else if (!words.empty())
        value_cases += fmt::format("    {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n", key, join(words));
      else
        value_cases += fmt::format("    {}) return ;;  # {}: a value, nothing to offer\n", key, type);
    }
    cases += fmt::format("    {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")) ;;\n", s->get_name(), join(opts));
  }
  return fmt::format(R"(# bash completion for hyperslice -- generated by hyperslice-docgen from cli/app.cpp, the same
# definition as --help and the man pages. Plain bash: it needs nothing from the bash-completion package.
_hyperslice() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" sub="" i
  ((COMP_CWORD > 0)) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${{COMP_WORDS[i]}}" in {}) sub="${{COMP_WORDS[i]}}"; break ;; esac
  done
  COMPREPLY=()
  case "$sub:$prev" in
{}  esac
  case "$sub" in
    "") COMPREPLY=($(compgen -W "{} {}" -- "$cur")) ;;
{}  esac
}}
complete -F _hyperslice hyperslice
)",
                     join(sub_names, "|"), value_cases, join(sub_names), join(top), cases);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: hyperslice-docgen OUTDIR [DATADIR]   (DATADIR: the installed PREFIX/share, default /usr/share)\n");
    return 2;
  }
  const std::string out = argv[1];
  const std::string datadir = argc == 3 ? argv[2] : "/usr/share";
  CLI::App app{"hyperslice: hybrid MPI + OpenMP + SIMD pi engine, exact and reproducible"};
  Args args;
  hs::cli::build_app(app, args, [] { return std::string(); });
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream f(out + "/" + name);
    f << text;
    if (!f) {
      std::fprintf(stderr, "hyperslice-docgen: cannot write %s/%s\n", out.c_str(), name.c_str());
      std::exit(1);
    }
  };
  write("hyperslice.1", man_page(app, "", datadir));
  for (const auto* s : app.get_subcommands({}))
    write(page_name(s->get_name()) + ".1", man_page(app, s->get_name(), datadir));
  write("hyperslice.bash", completion(app));
  return 0;
}
