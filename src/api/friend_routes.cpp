#include <boost/json/array.hpp>

#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/query_values.hpp"
#include "api/routes.hpp"

namespace chattwo::api {
namespace {

// Friends are other users: their public profiles, never their emails.
boost::json::array users_array(const std::vector<chat::User>& users) {
  boost::json::array out;
  out.reserve(users.size());
  for (const auto& u : users) out.push_back(user_json(u, false));
  return out;
}

Response list_friends(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto q = query_text(req, "q");
  if (!q) return to_problem(q.error());
  auto friends = ctx.friends.list_friends(caller->user.id, *q);
  if (!friends) return to_problem(friends.error());
  return json_response(200, users_array(*friends));
}

// PUT: adding is idempotent. 201 when this request made the friendship,
// 200 when it was there already (and nobody is notified again).
Response add_friend(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto added = ctx.friends.add_friend(caller->user.id, req.path_params.at("userId"));
  if (!added) return to_problem(added.error());
  return json_response(added->added ? 201 : 200, user_json(added->user, false));
}

Response remove_friend(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto removed = ctx.friends.remove_friend(caller->user.id, req.path_params.at("userId"));
  if (!removed) return to_problem(removed.error());
  return no_content();
}

}  // namespace

std::vector<Route> friend_routes(ApiContext& ctx) {
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::get, "/api/v1/friends", with_ctx(list_friends)},
      {Method::put, "/api/v1/friends/{userId}", with_ctx(add_friend)},
      {Method::delete_, "/api/v1/friends/{userId}", with_ctx(remove_friend)},
  };
}

}  // namespace chattwo::api
