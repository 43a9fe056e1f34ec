#pragma once
// Checks of what a client names or searches for: user and notification ids
// in paths and queries, and search text. Shared by the user search, friends
// and notifications, so the three answer alike.
#include <cstddef>
#include <string>
#include <string_view>

#include "chat/result.hpp"

namespace chattwo::chat {

// Search text, in code points after trimming: the longest email API.md
// allows (254), so that any account can be found by its email; no name is
// longer than 40, and a longer query can only be abuse.
inline constexpr std::size_t kMaxSearchChars = 254;
// API.md Conventions: ids are at most 64 ASCII characters.
inline constexpr std::size_t kMaxIdChars = 64;

/// `text` trimmed of surrounding whitespace: 1-100 code points of valid
/// UTF-8 without control characters (which no name holds), else
/// Code::validation on `field`.
Result<std::string> normalize_search_text(std::string_view text, std::string field = "q");

/// 1-64 visible ASCII characters, else Code::validation on `field`: an id
/// a client names can only be one of ours if it has that shape.
Result<void> check_id(std::string_view id, std::string field);

}  // namespace chattwo::chat
