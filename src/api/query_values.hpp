#pragma once
// Reading query parameters: text (with a 400 for a malformed %-escape
// rather than pretending it was absent) and list limits (API.md: a default,
// a value over the maximum read as the maximum, below 1 a 400).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "chat/result.hpp"

namespace chattwo::api {

/// The decoded value of query parameter `name` ("+" is a space), nullopt
/// when absent. Code::validation on `name` for a malformed %-escape.
chat::Result<std::optional<std::string>> query_text(const Request& req, std::string_view name);

/// Query parameter `name` as a signed 64-bit integer, nullopt when absent.
/// Code::validation on `name` when it is not one.
chat::Result<std::optional<std::int64_t>> query_integer(const Request& req, std::string_view name);

/// Query parameter `name` as a list limit: `fallback` when absent, at most
/// `max` (a larger number, however large, reads as `max`). Code::validation
/// on `name` when it is not a decimal integer or is below 1.
chat::Result<std::size_t> query_limit(const Request& req, std::string_view name, std::size_t fallback,
                                      std::size_t max);

}  // namespace chattwo::api
