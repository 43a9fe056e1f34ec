#pragma once
// Who sent a request: the bearer token or the session cookie, and for a
// cookie-authenticated write, the CSRF token that proves the page is ours.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "chat/account_service.hpp"

namespace chattwo::api {

inline constexpr std::string_view kSessionCookie = "chattwo_session";

/// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

class RequestAuth {
 public:
  RequestAuth(chat::AccountService& accounts, chat::SecretSource& secrets, bool secure_cookies)
      : accounts_(accounts), secrets_(secrets), secure_cookies_(secure_cookies) {}

  /// The caller, or unauthenticated (401); forbidden (403) for a cookie
  /// write without the session's X-CSRF-Token. Blocks (storage).
  chat::Result<chat::Caller> authenticate(const Request& req);

  /// Set-Cookie for a new session (HttpOnly, SameSite=Lax, Secure over HTTPS).
  std::string session_cookie(std::string_view secret, std::int64_t expires_at_ms, std::int64_t now_ms) const;
  /// Set-Cookie that deletes the session cookie.
  std::string cleared_cookie() const;

 private:
  chat::AccountService& accounts_;
  chat::SecretSource& secrets_;
  const bool secure_cookies_;
};

}  // namespace chattwo::api
