#include "chat/query_checks.hpp"

#include "base/utf8.hpp"

namespace chattwo::chat {

Result<std::string> normalize_search_text(std::string_view text, std::string field) {
  if (!base::is_valid_utf8(text)) return fail(Error::validation(field + " is not valid UTF-8", field));
  const std::string_view trimmed = base::trim_unicode_space(text);
  const std::size_t chars = *base::utf8_length(trimmed);
  if (chars < 1 || chars > kMaxSearchChars) {
    return fail(Error::validation(field + " must be 1-" + std::to_string(kMaxSearchChars) +
                                      " characters (not counting surrounding spaces)",
                                  field));
  }
  for (unsigned char c : trimmed) {
    if (c < 0x20 || c == 0x7F) {
      return fail(Error::validation(field + " must not contain control characters", field));
    }
  }
  return std::string(trimmed);
}

Result<void> check_id(std::string_view id, std::string field) {
  bool visible_ascii = true;
  for (unsigned char c : id) visible_ascii &= (c > 0x20 && c < 0x7F);
  if (id.empty() || id.size() > kMaxIdChars || !visible_ascii) {
    return fail(Error::validation(field + " must be an id: 1-" + std::to_string(kMaxIdChars) +
                                      " visible ASCII characters",
                                  field));
  }
  return {};
}

}  // namespace chattwo::chat
