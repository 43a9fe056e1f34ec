#pragma once
// Parsing of the human-friendly values in settings: "10s", "1MiB", "host:port".
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ops/settings.hpp"

namespace chattwo::ops {

/// "250ms", "10s", "15m", "2h" (a bare number is milliseconds).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
/// "512", "64KiB", "1MiB", "2GiB" (bytes; also KB/MB/GB as powers of 1000).
std::optional<std::size_t> parse_size(std::string_view text);
/// "127.0.0.1:8080", "[::1]:0", "0.0.0.0:80".
std::optional<Endpoint> parse_endpoint(std::string_view text);
/// The reverse of parse_duration, for --help: "10s", "250ms".
std::string format_duration(std::chrono::milliseconds d);
std::string format_size(std::size_t bytes);

}  // namespace chattwo::ops
