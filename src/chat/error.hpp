#pragma once
// The one error type of the domain. Codes are spelled as on the wire
// (Code::not_found <-> "not-found"); api/ maps each to an HTTP status and to
// /user/queue/errors, in one switch without default.
#include <cstdint>
#include <string>
#include <string_view>

namespace chattwo::chat {

enum class Code {
  validation,              // 400: a field is missing, mistyped or out of its limits
  unauthenticated,         // 401: no valid session or token
  forbidden,               // 403: known caller, not allowed (e.g. missing CSRF token)
  not_found,               // 404: absent, or present but not visible to the caller
  conflict,                // 409: e.g. the email is taken
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  rate_limited,            // 429: retry_after_s says when to try again
  unavailable,             // 503: overloaded or draining
  internal,                // 500: a bug or a broken dependency
};

/// The wire slug of `code`, e.g. "not-found".
std::string_view to_slug(Code code);

struct Error {
  Code code;
  std::string detail;           // for a developer: what was wrong, never SQL or a stack trace
  std::string field = {};       // the request field at fault, when there is one
  std::int64_t retry_after_s = 0;  // for rate_limited and unavailable

  static Error validation(std::string detail, std::string field = {}) {
    return {Code::validation, std::move(detail), std::move(field)};
  }
  static Error not_found(std::string detail) { return {Code::not_found, std::move(detail)}; }
  static Error conflict(std::string detail) { return {Code::conflict, std::move(detail)}; }
  static Error unauthenticated(std::string detail) {
    return {Code::unauthenticated, std::move(detail)};
  }
  static Error forbidden(std::string detail) { return {Code::forbidden, std::move(detail)}; }
  static Error internal(std::string detail) { return {Code::internal, std::move(detail)}; }
};

}  // namespace chattwo::chat
