#pragma once
// Logging: spdlog to stderr, human-readable by default, one JSON object per
// line with --log-format json. Call sites use spdlog::info(...) directly.
#include <string>

#include "ops/settings.hpp"

namespace chattwo::ops {

/// Sets up the default logger. Log calls format the line and append it to a
/// bounded buffer that a background thread writes out in batches (when full,
/// new lines are dropped and counted), so a slow stderr never stalls a
/// network thread.
/// Throws std::invalid_argument for an unknown level.
void init_logging(LogFormat format, const std::string& level);

/// Flushes and stops the log thread (call before exit).
void shutdown_logging();

}  // namespace chattwo::ops
