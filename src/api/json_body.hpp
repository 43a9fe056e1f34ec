#pragma once
// Reading JSON request bodies field by field, with a precise 400 for each
// way a body can be wrong. Unknown fields are ignored (API.md Conventions).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "chat/result.hpp"

namespace chattwo::api {

/// The request body as a JSON object. An empty body reads as {} when
/// `empty_ok`. Code::unsupported_media_type unless Content-Type is JSON;
/// Code::validation for malformed JSON or a non-object.
chat::Result<boost::json::object> parse_json_object(const Request& req, bool empty_ok = false);

/// A required string field.
chat::Result<std::string> required_string(const boost::json::object& body, std::string_view field);
/// An optional string field: nullopt when absent; a 400 when present with another type.
chat::Result<std::optional<std::string>> optional_string(const boost::json::object& body, std::string_view field);
/// A field that may be absent (outer nullopt), null (inner nullopt) or a string.
chat::Result<std::optional<std::optional<std::string>>> nullable_string(const boost::json::object& body,
                                                                        std::string_view field);

}  // namespace chattwo::api
