#pragma once
// The field rules of API.md's Conventions, shared by every service.
#include <cstddef>
#include <string>
#include <string_view>

#include "chat/result.hpp"

namespace chattwo::chat {

inline constexpr std::size_t kMaxEmailChars = 254;         // code points; RFC 5321's path limit
inline constexpr std::size_t kMaxUserNameChars = 40;       // code points, API.md
inline constexpr std::size_t kMaxStatusMessageChars = 60;  // code points, KakaoTalk's limit
inline constexpr std::size_t kMinPasswordChars = 8;        // code points, API.md
// Argon2 would hash any length, but a megabyte password costs real CPU to
// read and hash; 1024 bytes is far beyond any passphrase.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

/// Trimmed, lower-cased `local@domain`, or a validation error on `field`.
Result<std::string> normalize_email(std::string_view email, std::string field = "email");
/// The trimmed name, 1-40 code points.
Result<std::string> normalize_user_name(std::string_view name);
/// The trimmed status message, 0-60 code points.
Result<std::string> normalize_status_message(std::string_view text);
Result<void> check_password(std::string_view password);

}  // namespace chattwo::chat
