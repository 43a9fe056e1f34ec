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
inline constexpr std::size_t kMaxRoomNameChars = 80;         // code points, API.md
inline constexpr std::size_t kMaxMessageTextChars = 10'000;  // code points, API.md
// Client-made idempotency keys (UUIDs, ULIDs): API.md's id limit. Visible
// ASCII only, because the key travels in STOMP headers and logs.
inline constexpr std::size_t kMaxClientMsgIdChars = 64;

/// Trimmed, lower-cased `local@domain`, or a validation error on `field`.
Result<std::string> normalize_email(std::string_view email, std::string field = "email");
/// The trimmed name, 1-40 code points.
Result<std::string> normalize_user_name(std::string_view name);
/// The trimmed status message, 0-60 code points.
Result<std::string> normalize_status_message(std::string_view text);
Result<void> check_password(std::string_view password);
/// The trimmed room name, 0-80 code points.
Result<std::string> normalize_room_name(std::string_view name);
/// Message text is stored exactly as sent: 1-10000 code points of valid
/// UTF-8 with at least one non-whitespace character.
Result<void> check_message_text(std::string_view text);
/// 1-64 visible ASCII characters (field clientMsgId).
Result<void> check_client_msg_id(std::string_view id);

}  // namespace chattwo::chat
