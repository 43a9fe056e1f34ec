#pragma once
// Reads `chattwo serve`'s settings: defaults, then the TOML file (--config
// or CHATTWO_CONFIG), then CHATTWO_* environment variables, then flags.
// Later wins. The one place that knows where configuration comes from.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ops/settings.hpp"

namespace chattwo::app {

using Getenv = std::function<const char*(const char*)>;

struct LoadedConfig {
  ops::Settings settings;
  int exit_code = -1;  // >= 0: print `output` and exit with it (--help, --version, errors)
  std::string output;  // for stdout when exit_code is 0, else a one-line error for stderr
};

/// Parses `args` (without the program name), e.g. {"serve", "--listen", "127.0.0.1:0"}.
LoadedConfig load_config(const std::vector<std::string>& args, const Getenv& getenv);

/// The settings table as Markdown (docs/configuration.md is generated from it).
std::string settings_markdown();

}  // namespace chattwo::app
