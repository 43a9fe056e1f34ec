#include "chat/validation.hpp"

#include "base/utf8.hpp"

namespace chattwo::chat {
namespace {

Result<std::string> trimmed_text(std::string_view text, std::size_t min_chars,
                                 std::size_t max_chars, const std::string& field,
                                 std::string_view what) {
  if (!base::is_valid_utf8(text)) {
    return fail(Error::validation(std::string(what) + " is not valid UTF-8", field));
  }
  const std::string_view trimmed = base::trim_unicode_space(text);
  const std::size_t chars = *base::utf8_length(trimmed);
  if (chars < min_chars || chars > max_chars) {
    return fail(Error::validation(std::string(what) + " must be " + std::to_string(min_chars) +
                                      "-" + std::to_string(max_chars) + " characters",
                                  field));
  }
  return std::string(trimmed);
}

}  // namespace

Result<std::string> normalize_email(std::string_view email, std::string field) {
  if (!base::is_valid_utf8(email)) {
    return fail(Error::validation("email is not valid UTF-8", field));
  }
  std::string normalized = base::ascii_lower(base::trim_unicode_space(email));
  const auto at = normalized.find('@');
  const bool shaped = at != std::string::npos && at > 0 && at + 1 < normalized.size() &&
                      normalized.find('@', at + 1) == std::string::npos;
  bool has_space_or_control = false;
  for (unsigned char c : normalized) has_space_or_control |= (c <= 0x20 || c == 0x7F);
  if (!shaped || has_space_or_control || *base::utf8_length(normalized) > kMaxEmailChars) {
    return fail(Error::validation("email must look like local@domain (at most 254 characters)",
                                  std::move(field)));
  }
  return normalized;
}

Result<std::string> normalize_user_name(std::string_view name) {
  return trimmed_text(name, 1, kMaxUserNameChars, "name", "name");
}

Result<std::string> normalize_status_message(std::string_view text) {
  return trimmed_text(text, 0, kMaxStatusMessageChars, "statusMessage", "statusMessage");
}

Result<void> check_password(std::string_view password) {
  const auto chars = base::utf8_length(password);
  if (!chars) return fail(Error::validation("password is not valid UTF-8", "password"));
  if (*chars < kMinPasswordChars) {
    return fail(Error::validation("password must be at least 8 characters", "password"));
  }
  if (password.size() > kMaxPasswordBytes) {
    return fail(Error::validation("password must be at most 1024 bytes", "password"));
  }
  return {};
}

Result<std::string> normalize_room_name(std::string_view name) {
  return trimmed_text(name, 0, kMaxRoomNameChars, "name", "name");
}

Result<void> check_message_text(std::string_view text) {
  const auto chars = base::utf8_length(text);
  if (!chars) return fail(Error::validation("text is not valid UTF-8", "text"));
  if (*chars < 1 || *chars > kMaxMessageTextChars) {
    return fail(Error::validation("text must be 1-10000 characters", "text"));
  }
  if (base::trim_unicode_space(text).empty()) {
    return fail(Error::validation("text must have a character other than whitespace", "text"));
  }
  return {};
}

Result<void> check_client_msg_id(std::string_view id) {
  bool visible_ascii = true;
  for (unsigned char c : id) visible_ascii &= (c > 0x20 && c < 0x7F);
  if (id.empty() || id.size() > kMaxClientMsgIdChars || !visible_ascii) {
    return fail(Error::validation("clientMsgId must be 1-64 visible ASCII characters", "clientMsgId"));
  }
  return {};
}

}  // namespace chattwo::chat
