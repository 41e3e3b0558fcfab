// The settings table. Each parser is the one every source goes through; TOML values are checked for
// their type, then handed over as the text the command line would have given.
#include "engine/settings.hpp"

#include <fmt/format.h>

#include "base/exit_codes.hpp"
#include "engine/run_errors.hpp"
#include "kernels/series.hpp"

namespace hs::engine {
namespace {

bool truth(std::string_view text) { return text == "true"; }

std::vector<Setting> make_table() {
  using T = TomlType;
  return {
      {"--kernel", "kernel", T::string, kernel_names("|"), "", "leibniz-grouped",
       "Series: leibniz (the seed's: one division per term), leibniz-paired (one per two terms), leibniz-grouped "
       "(one per eight; the same bits, fastest), midpoint (MPICH's cpi)",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.kernel = parse_kernel_name(w, t); }},
      {"--terms", "terms", T::integer, "N", "", "", "Total terms N (128000000, 1e10, 1.28e8); at most 2^52",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.terms = parse_count(w, t); }},
      {"--slices", "slices", T::integer, "S", "", "128", "Slices handed out",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.slices = parse_count(w, t); }},
      {"--slice-size", "slice_size", T::integer, "M", "", "1000000", "Terms per slice, the seed's way: N = S x M",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.slice_size = parse_count(w, t); }},
      {"--schedule", "schedule", T::string, "static|dynamic|hierarchical", "", "dynamic",
       "dynamic: rank 0 hands out slices on request and computes too; static: a contiguous share per rank; "
       "hierarchical: one leader per group of ranks takes slices from rank 0 in batches and hands them out to its "
       "group (for thousands of ranks; the same bits)",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.schedule = parse_schedule_name(w, t); }},
      {"--group-size", "group_size", T::integer, "G", "", "the ranks of each node",
       "Hierarchical schedule: ranks per group (its lowest rank leads it; rank 0 leads its own)",
       [](RunOptions& o, std::string_view w, std::string_view t) {
         const std::uint64_t v = parse_count(w, t);
         if (v > (1u << 20)) throw InputError(fmt::format("{}: {} ranks per group is more than 2^20", w, v));
         o.group_size = static_cast<int>(v);
       }},
      {"--threads", "threads", T::integer, "T", "", "OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else the rank's bound cores",
       "OpenMP threads per rank",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.threads = parse_threads(w, t); }},
      {"--isa", "isa", T::string, isa_names("|"), "", "auto", "Instruction set (auto: the best each rank has)",
       [](RunOptions& o, std::string_view w, std::string_view t) {
         o.isa = parse_isa_name(w, t);
         o.isa_auto = !o.isa;
       }},
      {"--no-pin", "pin", T::boolean, "", "false", "thread t on core t mod n of the rank's binding",
       "Do not pin OpenMP threads to cores",
       [](RunOptions& o, std::string_view, std::string_view t) { o.pin = truth(t); }},
      {"--checkpoint", "", T::none, "FILE", "", "",
       "Record finished slices and their exact sum in FILE as the run goes; never overwrites anything but a "
       "checkpoint",
       [](RunOptions& o, std::string_view, std::string_view t) { o.checkpoint = std::string(t); }},
      {"--resume", "", T::none, "", "true", "", "Continue from --checkpoint FILE (any ranks, threads, nodes; same bits)",
       [](RunOptions& o, std::string_view, std::string_view t) { o.resume = truth(t); }},
      {"--force", "", T::none, "", "true", "", "Start afresh over the checkpoint at --checkpoint FILE",
       [](RunOptions& o, std::string_view, std::string_view t) { o.force = truth(t); }},
      {"--verify", "", T::none, "", "true", "",
       "Compare pi with the exact partial sum (MPFR, closed form; a few ms, after the timed run) and exit 4 if "
       "they are more than 1 ulp apart [default: on, for the Leibniz kernels]",
       [](RunOptions& o, std::string_view, std::string_view t) { o.verify = truth(t); }},
      {"--no-verify", "", T::none, "", "false", "", "Skip that check",
       [](RunOptions& o, std::string_view, std::string_view t) { o.verify = truth(t); }},
      {"--checkpoint-every", "", T::none, "SEC", "", "2", "Seconds between checkpoint writes",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.checkpoint_every = parse_seconds(w, t); }},
      {"--fail-timeout", "", T::none, "SEC", "", "30", "Seconds of silence before rank 0 declares a rank lost",
       [](RunOptions& o, std::string_view w, std::string_view t) { o.fail_timeout = parse_seconds(w, t); }},
  };
}

}  // namespace

const std::vector<Setting>& run_settings() {
  static const std::vector<Setting> table = make_table();
  return table;
}

const Setting* find_setting_by_flag(std::string_view flag) {
  for (const auto& s : run_settings())
    if (s.flag == flag) return &s;
  return nullptr;
}

const Setting* find_setting_by_key(std::string_view key) {
  if (key.empty()) return nullptr;
  for (const auto& s : run_settings())
    if (s.key == key) return &s;
  return nullptr;
}

std::string toml_keys() {
  std::string s;
  for (const auto& x : run_settings())
    if (!x.key.empty()) {
      if (!s.empty()) s += ", ";
      s += x.key;
    }
  return s;
}

const std::vector<Note>& run_environment() {
  static const std::vector<Note> vars = {
      {"OMP_NUM_THREADS", "threads per rank when --threads is not given"},
      {"SLURM_CPUS_PER_TASK", "in a Slurm job, threads per rank when neither --threads nor OMP_NUM_THREADS is given"},
      {"OMP_PLACES, OMP_PROC_BIND", "when set, the OpenMP runtime places threads (hyperslice does not pin)"},
      {"HYPERSLICE_DISABLE_ISA", "e.g. avx512,avx2: act as if the CPU lacked them (tests, mixed clusters)"},
      {"HYPERSLICE_FAULT", "KIND@RANK[:N] with KIND throw|segv|hang|pause|corrupt: fault injection for tests"},
  };
  return vars;
}

const std::vector<Note>& exit_codes() {
  static const std::vector<Note> codes = [] {
    std::vector<Note> v;
    for (const auto& c : kExitCodeNotes) v.push_back({c.code, c.text});
    return v;
  }();
  return codes;
}

std::string run_environment_help() {
  std::string out = "Environment:\n";
  for (const auto& v : run_environment()) out += fmt::format("  {:<26} {}\n", v.name, v.text);
  out += "Exit codes:\n";
  for (const auto& c : exit_codes()) out += fmt::format("  {:<6} {}\n", c.name, c.text);
  out.pop_back();
  return out;
}

}  // namespace hs::engine
