// RunConfig parsing and merging; every failure is an InputError naming the flag or key and the value.
#include "engine/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "base/bounded_file.hpp"
#include "engine/run_errors.hpp"
#include "engine/compute.hpp"
#include "engine/settings.hpp"

namespace hs::engine {
namespace {


bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string_view name(Schedule s) noexcept {
  switch (s) {
    case Schedule::dynamic:
      return "dynamic";
    case Schedule::hierarchical:
      return "hierarchical";
    case Schedule::static_blocks:
      break;
  }
  return "static";
}

std::string kernel_names(std::string_view separator) {
  std::string s;
  for (auto k : kernels::all_kernels()) {
    if (!s.empty()) s += separator;
    s += kernels::name(k);
  }
  return s;
}

std::string isa_names(std::string_view separator) {
  std::string s = "auto";
  for (auto i : kernels::known_isas()) {  // every architecture's: one job may mix them
    s += separator;
    s += kernels::name(i);
  }
  return s;
}

std::uint64_t parse_count(std::string_view what, std::string_view text) {
  // Accepts 128000000, and exact powers-of-ten forms like 1e10 or 1.28e8.
  const std::string shown(text);
  auto bad = [&]() { return InputError(fmt::format("{}: expected a positive integer, got '{}'", what, shown)); };
  auto big = [&]() { return InputError(fmt::format("{}: '{}' is too large", what, shown)); };
  const auto e = text.find_first_of("eE");
  std::string_view mant = text.substr(0, e);
  std::uint64_t exp10 = 0;
  if (e != std::string_view::npos) {
    const auto ex = text.substr(e + 1);
    if (!all_digits(ex) || ex.size() > 3) throw bad();
    exp10 = std::stoull(std::string(ex));
  }
  std::string digits(mant);
  const auto dot = digits.find('.');
  if (dot != std::string::npos) {
    const std::string frac = digits.substr(dot + 1);
    digits = digits.substr(0, dot);
    if (frac.size() > exp10 || !all_digits(frac) || e == std::string_view::npos) throw bad();
    digits += frac;
    exp10 -= frac.size();
  }
  if (!all_digits(digits)) throw bad();
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) throw big();
  if (ec != std::errc() || p != digits.data() + digits.size()) throw bad();
  for (std::uint64_t i = 0; i < exp10; ++i) {
    if (v > UINT64_MAX / 10) throw big();
    v *= 10;
  }
  if (v == 0) throw InputError(fmt::format("{}: must be positive, got '{}'", what, shown));
  return v;
}

kernels::Kernel parse_kernel_name(std::string_view what, std::string_view text) {
  if (auto k = kernels::parse_kernel(text)) return *k;
  throw InputError(fmt::format("{}: unknown kernel '{}' (expected one of: {})", what, text, kernel_names(", ")));
}

std::vector<kernels::Kernel> parse_kernel_list(std::string_view what, std::string_view text) {
  std::vector<kernels::Kernel> out;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view name = text.substr(at, comma - at);
    if (name.empty())
      throw InputError(fmt::format("{}: expected kernel names separated by commas ({}), got '{}'", what,
                                   kernel_names(","), text));
    out.push_back(parse_kernel_name(what, name));
    at = comma + 1;
  }
  return out;
}

Schedule parse_schedule_name(std::string_view what, std::string_view text) {
  if (text == "static") return Schedule::static_blocks;
  if (text == "dynamic") return Schedule::dynamic;
  if (text == "hierarchical") return Schedule::hierarchical;
  throw InputError(fmt::format("{}: unknown schedule '{}' (expected static, dynamic or hierarchical)", what, text));
}

std::optional<kernels::Isa> parse_isa_name(std::string_view what, std::string_view text) {
  if (text == "auto") return std::nullopt;
  if (auto i = kernels::parse_isa(text)) return *i;
  throw InputError(fmt::format("{}: unknown ISA '{}' (expected one of: {})", what, text, isa_names(", ")));
}

int parse_bounded_count(std::string_view what, std::string_view text, std::uint64_t max, std::string_view unit) {
  const std::uint64_t v = parse_count(what, text);
  if (v > max) throw InputError(fmt::format("{}: {} {} is more than {}", what, v, unit, max));
  return static_cast<int>(v);
}

int parse_threads(std::string_view what, std::string_view text) { return parse_bounded_count(what, text, 4096, "threads"); }

double parse_seconds(std::string_view what, std::string_view text) {
  const std::string t(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || errno != 0 || !(v > 0) || v > 86400)
    throw InputError(fmt::format("{}: expected seconds between 0 and 86400, got '{}'", what, t));
  return v;
}

RunOptions parse_config_text(std::string_view text, const std::string& source) {
  toml::table tbl;
  try {
    tbl = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError(fmt::format("{}:{}:{}: malformed TOML: {}", source, b.line, b.column, e.description()));
  }
  if (tbl.empty()) throw InputError(fmt::format("{}: the config sets nothing (empty file?)", source));
  RunOptions o;
  for (const auto& entry : tbl) {
    const toml::node& node = entry.second;  // not a structured binding: clang 14 cannot capture those
    const std::string key(entry.first.str());
    const Setting* setting = find_setting_by_key(key);
    if (!setting)
      throw InputError(fmt::format("{}: unknown key '{}' (expected {})", source, key, toml_keys()));
    const std::string what = fmt::format("{}: {}", source, key);
    std::string value;  // as the command line would give it, for the one parser
    switch (setting->toml) {
      case TomlType::integer: {
        if (!node.is_integer()) throw InputError(fmt::format("{}: expected a positive integer", what));
        const std::int64_t v = *node.value<std::int64_t>();
        if (v <= 0) throw InputError(fmt::format("{}: must be positive, got {}", what, v));
        value = std::to_string(v);
        break;
      }
      case TomlType::string:
        if (!node.is_string()) throw InputError(fmt::format("{}: expected a string", what));
        value = *node.value<std::string>();
        break;
      case TomlType::boolean:
        if (!node.is_boolean()) throw InputError(fmt::format("{}: expected true or false", what));
        value = *node.value<bool>() ? "true" : "false";
        break;
      case TomlType::none:
        break;
    }
    setting->apply(o, what, value);
  }
  return o;
}

RunOptions read_config_file(const std::string& path) {
  const std::string text = read_bounded_file<InputError>(path, 1u << 20, "--config", "a run config");
  if (text.find('\0') != std::string::npos)
    throw InputError(fmt::format("--config: '{}' is a binary file, not TOML", path));
  return parse_config_text(text, path);
}

RunConfig resolve(const RunOptions& file, const RunOptions& cli) {
  auto pick = [](const auto& a, const auto& b) { return b ? b : a; };
  RunConfig c;
  if (auto k = pick(file.kernel, cli.kernel)) c.kernel = *k;
  if (auto s = pick(file.schedule, cli.schedule)) c.schedule = *s;
  if (auto g = pick(file.group_size, cli.group_size)) {
    if (c.schedule != Schedule::hierarchical)
      throw InputError("--group-size sets the hierarchical schedule's groups: give it with --schedule hierarchical");
    c.group_size = *g;
  }
  if (auto t = pick(file.threads, cli.threads)) c.threads = *t;
  if (auto p = pick(file.pin, cli.pin)) c.pin = *p;
  c.isa = (cli.isa || cli.isa_auto) ? cli.isa : file.isa;
  if (cli.checkpoint) c.checkpoint = *cli.checkpoint;
  c.resume = cli.resume;
  c.force = cli.force;
  if (c.resume && c.checkpoint.empty())
    throw InputError("--resume needs --checkpoint FILE (the checkpoint to continue from)");
  if (c.force && c.checkpoint.empty()) throw InputError("--force needs --checkpoint FILE (the checkpoint to replace)");
  if (c.force && c.resume)
    throw InputError("--force and --resume exclude each other: --resume continues the checkpoint, --force replaces it");
  if (cli.checkpoint_every) c.checkpoint_every = *cli.checkpoint_every;
  if (cli.fail_timeout) c.fail_timeout = *cli.fail_timeout;

  const auto terms = pick(file.terms, cli.terms);
  const auto slices = pick(file.slices, cli.slices);
  const auto size = pick(file.slice_size, cli.slice_size);
  const auto product = [](std::uint64_t a, std::uint64_t b) -> std::optional<std::uint64_t> {
    std::uint64_t r;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
  };
  if (terms && slices && size) {
    const auto p = product(*slices, *size);
    if (!p || *p != *terms)
      throw InputError(fmt::format("terms {} != slices {} x slice_size {}: give two of the three, or consistent values",
                                   *terms, *slices, *size));
    c.terms = *terms;
    c.slices = *slices;
  } else if (terms) {
    c.terms = *terms;
    c.slices = slices ? *slices : size ? (*terms + *size - 1) / *size : std::min(kDefaultSlices, *terms);
  } else {
    c.slices = slices.value_or(kDefaultSlices);
    const std::uint64_t m = size.value_or(kDefaultSliceSize);
    const auto p = product(c.slices, m);
    if (!p) throw InputError(fmt::format("slices {} x slice_size {} overflows 64 bits", c.slices, m));
    c.terms = *p;
  }
  // Every run checks its answer where the kernel has a closed form (a few ms); --no-verify skips it. A
  // simulator build (smpi preset) charges compute as simulated time and sums nothing: nothing to check.
  c.verify = cli.verify.value_or(sums_for_real() && c.kernel != kernels::Kernel::midpoint);
  if (c.verify && !sums_for_real())
    throw InputError("--verify: a simulator build (the smpi preset) sums nothing, so there is no answer to check");
  if (c.verify && c.kernel == kernels::Kernel::midpoint)
    throw InputError(
        "--verify checks the Leibniz kernels against their exact partial sum; the midpoint rule has no closed form "
        "here (its accuracy is in docs/reproducibility.md)");
  if (c.terms > kernels::kMaxTerms)
    throw InputError(fmt::format("terms {} is too large: 2k+1 must stay exact in a double, so at most {} (2^52)",
                                 c.terms, kernels::kMaxTerms));
  if (c.slices > c.terms) throw InputError(fmt::format("slices {} is more than terms {}", c.slices, c.terms));
  c.slice_size = static_cast<double>(c.terms) / static_cast<double>(c.slices);
  return c;
}

}  // namespace hs::engine
