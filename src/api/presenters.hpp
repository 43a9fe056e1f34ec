#pragma once
// Domain values as the JSON of API.md.
#include <boost/json/object.hpp>

#include "api/http_types.hpp"
#include "chat/user.hpp"

namespace chattwo::api {

/// User JSON; `email` only when `is_self` (other users' emails never leave).
boost::json::object user_json(const chat::User& user, bool is_self);

/// A JSON response with `status`.
Response json_response(int status, const boost::json::value& body);
Response no_content();

}  // namespace chattwo::api
