#include "api/json_body.hpp"

#include <boost/json/parse.hpp>

namespace chattwo::api {
namespace {

bool is_json_content_type(std::string_view value) {
  const std::string_view media = value.substr(0, value.find(';'));
  auto ends_with_ci = [](std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
    }
    return true;
  };
  std::string_view trimmed = media;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  return ends_with_ci(trimmed, "application/json") || ends_with_ci(trimmed, "+json");
}

chat::Unexpected wrong_type(std::string_view field, std::string_view expected) {
  return chat::fail(chat::Error::validation(std::string(field) + " must be " + std::string(expected),
                                            std::string(field)));
}

}  // namespace

chat::Result<boost::json::object> parse_json_object(const Request& req, bool empty_ok) {
  if (req.body.empty()) {
    if (empty_ok) return boost::json::object{};
    return chat::fail(chat::Error::validation("the request needs a JSON body"));
  }
  // Requiring a JSON media type also means a cross-site form can't post
  // here: a browser sends application/json cross-site only after a CORS
  // preflight, which this server never approves.
  if (!is_json_content_type(req.header("content-type"))) {
    return chat::fail(chat::Error{chat::Code::unsupported_media_type,
                                  "send the body as Content-Type: application/json"});
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(req.body, ec);
  if (ec) return chat::fail(chat::Error::validation("the body is not valid JSON: " + ec.message()));
  if (!value.is_object()) return chat::fail(chat::Error::validation("the body must be a JSON object"));
  return std::move(value.as_object());
}

chat::Result<std::string> required_string(const boost::json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v) return chat::fail(chat::Error::validation(std::string(field) + " is required", std::string(field)));
  if (!v->is_string()) return wrong_type(field, "a string");
  return std::string(v->as_string());
}

chat::Result<std::optional<std::string>> optional_string(const boost::json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return wrong_type(field, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

chat::Result<std::optional<std::optional<std::string>>> nullable_string(const boost::json::object& body,
                                                                        std::string_view field) {
  using Out = std::optional<std::optional<std::string>>;
  const auto* v = body.if_contains(field);
  if (!v) return Out{};
  if (v->is_null()) return Out{std::optional<std::string>{}};
  if (!v->is_string()) return wrong_type(field, "a string or null");
  return Out{std::optional<std::string>(std::string(v->as_string()))};
}

}  // namespace chattwo::api
