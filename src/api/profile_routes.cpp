#include "api/json_body.hpp"
#include "api/presenters.hpp"
#include "api/problem.hpp"
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

}  // namespace

std::vector<Route> profile_routes(ApiContext& ctx) {
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::get, "/api/v1/me", with_ctx(get_me)},
      {Method::patch, "/api/v1/me", with_ctx(patch_me), ctx.max_json_body_bytes},
      {Method::get, "/api/v1/users/{id}", with_ctx(get_user)},
  };
}

}  // namespace chattwo::api
