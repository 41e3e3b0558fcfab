// The one table of `run` settings: flag, TOML key, value form (type or choices), default, help and the
// parser. The command line (cli/), the TOML reader (engine/config.cpp), the config fuzzer and `--help`
// are all made from it, so a setting is declared once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"

namespace hs::engine {

enum class TomlType { none, integer, string, boolean };

struct Setting {
  std::string_view flag;          // "--terms"
  std::string_view key;           // TOML key, or "" when command line only
  TomlType toml = TomlType::none;  // what the TOML value must be
  std::string value_name;         // "N", "SEC", "FILE", "leibniz|leibniz-paired|midpoint"; "" for a bare flag
  std::string_view flag_value;    // for a bare flag: the value it stands for ("true", or "false" for --no-pin)
  std::string_view default_text;  // shown by --help; "" for none
  std::string_view help;
  // Parses `text` into `o`; `what` names where it came from ("--terms", "run.toml: terms") in errors.
  void (*apply)(RunOptions& o, std::string_view what, std::string_view text);
};

const std::vector<Setting>& run_settings();
// The setting with this flag or TOML key, or nullptr.
const Setting* find_setting_by_flag(std::string_view flag);
const Setting* find_setting_by_key(std::string_view key);
// "kernel, terms, ..." for messages.
std::string toml_keys();

// Environment variables `run` reads, and the exit codes: --help's footer and the man pages.
struct Note {
  std::string_view name, text;
};
const std::vector<Note>& run_environment();
const std::vector<Note>& exit_codes();
std::string run_environment_help();

}  // namespace hs::engine
