#include "chat/error.hpp"

namespace chattwo::chat {

std::string_view to_slug(Code code) {
  switch (code) {
    case Code::validation: return "validation";
    case Code::unauthenticated: return "unauthenticated";
    case Code::forbidden: return "forbidden";
    case Code::not_found: return "not-found";
    case Code::conflict: return "conflict";
    case Code::payload_too_large: return "payload-too-large";
    case Code::unsupported_media_type: return "unsupported-media-type";
    case Code::rate_limited: return "rate-limited";
    case Code::unavailable: return "unavailable";
    case Code::internal: return "internal";
  }
  return "internal";
}

}  // namespace chattwo::chat
