#pragma once
// Times on the wire are RFC 3339 UTC with milliseconds; inside, int64 ms
// since the Unix epoch.
#include <cstdint>
#include <string>

namespace chattwo::base {

/// "2026-11-24T21:40:06.123Z" for `unix_ms`.
std::string format_rfc3339_ms(std::int64_t unix_ms);

/// "Wed, 25 Nov 2026 17:55:16 GMT" (RFC 9110 IMF-fixdate), for HTTP headers.
std::string format_http_date(std::int64_t unix_ms);

}  // namespace chattwo::base
