#pragma once
// RFC 9457 problem+json responses: the one way any failure leaves the server.
#include <string>

#include "api/http_types.hpp"
#include "chat/error.hpp"

namespace chattwo::api {

/// The HTTP status of a domain error code.
int http_status(chat::Code code);

/// A problem+json response for `error` (with Retry-After when it has one).
Response to_problem(const chat::Error& error);

/// Shorthand for failures found at the HTTP edge (bad JSON, 404, 405, ...).
Response problem(chat::Code code, std::string detail);

/// A problem+json response for failures that only exist at the HTTP edge
/// and so have no domain code (405, 431).
Response make_problem(int status, std::string_view type, std::string_view title, std::string_view detail,
                      std::string_view field = {});

/// 405 with the Allow header.
Response method_not_allowed(const std::string& allow);

}  // namespace chattwo::api
