#include "api/request_auth.hpp"

#include <algorithm>
#include <cctype>

namespace chattwo::api {

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

chat::Result<chat::Caller> RequestAuth::authenticate(const Request& req) {
  const std::string_view authorization = req.header("authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                    })) {
      return chat::fail(chat::Error::unauthenticated("Authorization must be 'Bearer <token>'"));
    }
    return accounts_.authenticate(authorization.substr(kBearer.size()));
  }

  const auto cookie = find_cookie(req.header("cookie"), kSessionCookie);
  if (!cookie) return chat::fail(chat::Error::unauthenticated("sign in first"));
  auto caller = accounts_.authenticate(*cookie);
  if (!caller) return caller;
  if (is_unsafe(req.method)) {
    const std::string_view csrf = req.header("x-csrf-token");
    if (caller->session.csrf_token.empty() || !secrets_.equal(csrf, caller->session.csrf_token)) {
      return chat::fail(chat::Error::forbidden(
          "a cookie-authenticated write needs the X-CSRF-Token header with the session's csrfToken"));
    }
  }
  return caller;
}

std::string RequestAuth::session_cookie(std::string_view secret, std::int64_t expires_at_ms,
                                        std::int64_t now_ms) const {
  std::string c = std::string(kSessionCookie) + "=" + std::string(secret) +
                  "; Path=/; Max-Age=" + std::to_string((expires_at_ms - now_ms) / 1000) +
                  "; HttpOnly; SameSite=Lax";
  if (secure_cookies_) c += "; Secure";
  return c;
}

std::string RequestAuth::cleared_cookie() const {
  std::string c = std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
  if (secure_cookies_) c += "; Secure";
  return c;
}

}  // namespace chattwo::api
