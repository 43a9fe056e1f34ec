#pragma once
// UTF-8 helpers: validation and code point counting, std-only.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chattwo::base {

/// Number of Unicode code points in `text`, or nullopt when `text` is not
/// well-formed UTF-8 (overlong forms, surrogates and values past U+10FFFF
/// are rejected, as RFC 3629 requires).
std::optional<std::size_t> utf8_length(std::string_view text);

/// True when `text` is well-formed UTF-8.
inline bool is_valid_utf8(std::string_view text) { return utf8_length(text).has_value(); }

/// `text` without leading and trailing Unicode whitespace (ASCII whitespace,
/// U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000 and U+FEFF). `text` must be valid UTF-8.
std::string_view trim_unicode_space(std::string_view text);

/// ASCII-only lower-casing; other bytes are left as they are.
std::string ascii_lower(std::string_view text);

}  // namespace chattwo::base
