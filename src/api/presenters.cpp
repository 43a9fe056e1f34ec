#include "api/presenters.hpp"

#include <boost/json/serialize.hpp>

#include "base/time_format.hpp"

namespace chattwo::api {

boost::json::object user_json(const chat::User& user, bool is_self) {
  boost::json::object o;
  o["id"] = user.id;
  o["name"] = user.name;
  // Images arrive with issue 5; until then no avatar can be set.
  o["avatar"] = nullptr;
  o["statusMessage"] = user.status_message;
  o["createdAt"] = base::format_rfc3339_ms(user.created_at_ms);
  if (is_self) {
    o["email"] = user.email ? boost::json::value(*user.email) : boost::json::value(nullptr);
  }
  return o;
}

Response json_response(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace chattwo::api
