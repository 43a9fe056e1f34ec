#include "chat/blob_store.hpp"

namespace chattwo::chat {
namespace {

// Limits of a key. S3 allows 1024 bytes; half of that leaves room for a
// folder prefix, and 128 per segment stays far below every filesystem's
// NAME_MAX (255).
constexpr std::size_t kMaxKeyBytes = 512;
constexpr std::size_t kMaxSegmentBytes = 128;
// HTTP servers limit a header line to a few KiB; a content type is short.
constexpr std::size_t kMaxContentTypeBytes = 255;

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

}  // namespace

Result<void> validate_blob_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyBytes) {
    return fail(Error::validation("a blob key has 1 to " + std::to_string(kMaxKeyBytes) + " characters", "key"));
  }
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= key.size(); ++i) {
    if (i < key.size() && key[i] != '/') {
      if (!key_char(key[i])) {
        return fail(Error::validation("a blob key may contain only A-Z a-z 0-9 . _ - and /", "key"));
      }
      continue;
    }
    const std::size_t length = i - segment_start;
    if (length == 0) return fail(Error::validation("a blob key has no empty segment (no leading, trailing or double /)", "key"));
    if (length > kMaxSegmentBytes) {
      return fail(Error::validation("a blob key segment has at most " + std::to_string(kMaxSegmentBytes) + " characters", "key"));
    }
    // Rules out "." and "..", and keeps names starting with '.' free for
    // an adapter's own files (temporary files, metadata).
    if (key[segment_start] == '.') return fail(Error::validation("a blob key segment may not start with '.'", "key"));
    segment_start = i + 1;
  }
  return {};
}

Result<void> validate_blob_content_type(std::string_view content_type) {
  if (content_type.empty() || content_type.size() > kMaxContentTypeBytes) {
    return fail(Error::validation("a content type has 1 to " + std::to_string(kMaxContentTypeBytes) + " characters",
                                  "content_type"));
  }
  for (char c : content_type) {
    if (c < 0x20 || c > 0x7e) {
      return fail(Error::validation("a content type is printable ASCII", "content_type"));
    }
  }
  if (content_type.find('/') == std::string_view::npos || content_type.front() == ' ') {
    return fail(Error::validation("a content type looks like type/subtype", "content_type"));
  }
  return {};
}

}  // namespace chattwo::chat
