#include <boost/json/array.hpp>

#include "api/json_body.hpp"
#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/query_values.hpp"
#include "api/routes.hpp"

namespace chattwo::api {
namespace {

Response get_me(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  return json_response(200, user_json(caller->user, true));
}

Response patch_me(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());

  chat::ProfilePatch patch;
  auto name = optional_string(*body, "name");
  if (!name) return to_problem(name.error());
  patch.name = std::move(*name);
  auto status = optional_string(*body, "statusMessage");
  if (!status) return to_problem(status.error());
  patch.status_message = std::move(*status);
  auto avatar = nullable_string(*body, "avatarImageId");
  if (!avatar) return to_problem(avatar.error());
  patch.avatar_image_id = std::move(*avatar);

  auto user = ctx.accounts.update_profile(*caller, patch);
  if (!user) return to_problem(user.error());
  return json_response(200, user_json(*user, true));
}

Response get_user(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  const std::string& id = req.path_params.at("id");
  auto user = ctx.accounts.find_user(id);
  if (!user) return to_problem(user.error());
  return json_response(200, user_json(*user, user->id == caller->user.id));
}

// Other users only (the caller is never found), as public profiles: a
// search by someone's email finds them without ever showing it.
Response search_users(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto q = query_text(req, "q");
  if (!q) return to_problem(q.error());
  if (!*q) return to_problem(chat::Error::validation("q is required: a part of a name, or an email", "q"));
  auto limit = query_limit(req, "limit", chat::kDefaultUserSearchLimit, chat::kMaxUserSearchLimit);
  if (!limit) return to_problem(limit.error());
  auto found = ctx.directory.search(caller->user.id, **q, *limit);
  if (!found) return to_problem(found.error());
  boost::json::array users;
  users.reserve(found->size());
  for (const auto& u : *found) users.push_back(user_json(u, false));
  return json_response(200, users);
}

}  // namespace

std::vector<Route> profile_routes(ApiContext& ctx) {
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::get, "/api/v1/me", with_ctx(get_me)},
      {Method::patch, "/api/v1/me", with_ctx(patch_me), ctx.max_json_body_bytes},
      {Method::get, "/api/v1/users", with_ctx(search_users)},
      {Method::get, "/api/v1/users/{id}", with_ctx(get_user)},
  };
}

}  // namespace chattwo::api
