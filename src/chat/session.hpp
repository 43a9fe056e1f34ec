#pragma once
#include <cstdint>
#include <string>

namespace chattwo::chat {

/// How a session was started: a browser cookie (needs CSRF on writes) or a
/// bearer token for non-browser clients.
enum class SessionKind { cookie, bearer };

/// A sign-in. The secret the client holds is never stored: only its digest
/// (`token_digest`), so a copy of the database signs nobody in.
struct Session {
  std::string id;            // opaque, for logs and for closing its STOMP connections
  std::string token_digest;  // SHA-256 of the client's secret, hex
  std::string user_id;
  SessionKind kind = SessionKind::cookie;
  std::string csrf_token;    // cookie sessions only
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

}  // namespace chattwo::chat
