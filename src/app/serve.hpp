#pragma once
#include "ops/settings.hpp"

namespace chattwo::app {

/// The composition root: builds the adapters, services and servers that
/// `settings` names, serves until a shutdown signal and the drain are done,
/// and returns the exit code. Throws std::runtime_error with a one-line
/// reason when it cannot start (port taken, data dir not writable).
int serve(ops::Settings settings);

}  // namespace chattwo::app
