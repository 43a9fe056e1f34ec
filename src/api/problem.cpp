#include "api/problem.hpp"

#include <boost/json.hpp>

namespace chattwo::api {
namespace {

std::string_view title(chat::Code code) {
  switch (code) {
    case chat::Code::validation: return "Invalid request";
    case chat::Code::unauthenticated: return "Not signed in";
    case chat::Code::forbidden: return "Forbidden";
    case chat::Code::not_found: return "Not found";
    case chat::Code::conflict: return "Conflict";
    case chat::Code::payload_too_large: return "Payload too large";
    case chat::Code::unsupported_media_type: return "Unsupported media type";
    case chat::Code::rate_limited: return "Too many requests";
    case chat::Code::unavailable: return "Service unavailable";
    case chat::Code::internal: return "Internal error";
  }
  return "Internal error";
}

}  // namespace

Response make_problem(int status, std::string_view type, std::string_view title, std::string_view detail,
                      std::string_view field) {
  boost::json::object body;
  body["type"] = type;
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  if (!field.empty()) body["field"] = field;
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/problem+json");
  r.body = boost::json::serialize(body);
  return r;
}

int http_status(chat::Code code) {
  switch (code) {
    case chat::Code::validation: return 400;
    case chat::Code::unauthenticated: return 401;
    case chat::Code::forbidden: return 403;
    case chat::Code::not_found: return 404;
    case chat::Code::conflict: return 409;
    case chat::Code::payload_too_large: return 413;
    case chat::Code::unsupported_media_type: return 415;
    case chat::Code::rate_limited: return 429;
    case chat::Code::unavailable: return 503;
    case chat::Code::internal: return 500;
  }
  return 500;
}

Response to_problem(const chat::Error& error) {
  Response r = make_problem(http_status(error.code), chat::to_slug(error.code), title(error.code),
                            error.detail, error.field);
  if (error.retry_after_s > 0) r.set_header("Retry-After", std::to_string(error.retry_after_s));
  return r;
}

Response problem(chat::Code code, std::string detail) { return to_problem(chat::Error{code, std::move(detail)}); }

Response method_not_allowed(const std::string& allow) {
  // 405 has no domain code: only the HTTP edge knows methods.
  Response r = make_problem(405, "method-not-allowed", "Method not allowed",
                            "this path does not support that method; see the Allow header", {});
  r.set_header("Allow", allow);
  return r;
}

}  // namespace chattwo::api
