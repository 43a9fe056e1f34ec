#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/routes.hpp"
#include "base/time_format.hpp"

namespace chattwo::api {
namespace {

// {"user", "csrfToken"} with the session cookie: the answer of every sign-in.
Response signed_in(ApiContext& ctx, int status, const chat::SignIn& s) {
  boost::json::object body;
  body["user"] = user_json(s.user, true);
  body["csrfToken"] = s.session.csrf_token;
  Response r = json_response(status, body);
  r.set_header("Set-Cookie", ctx.auth.session_cookie(s.secret, s.session.expires_at_ms, ctx.clock.now_ms()));
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response token_issued(const chat::SignIn& s) {
  boost::json::object body;
  body["token"] = s.secret;
  body["expiresAt"] = base::format_rfc3339_ms(s.session.expires_at_ms);
  Response r = json_response(201, body);
  r.set_header("Cache-Control", "no-store");
  return r;
}

struct EmailAndPassword {
  std::string email;
  std::string password;
};

// The {"email", "password"} of sign-up, login and token requests.
chat::Result<EmailAndPassword> credentials_of(const boost::json::object& body) {
  auto email = required_string(body, "email");
  if (!email) return chat::fail(email.error());
  auto password = required_string(body, "password");
  if (!password) return chat::fail(password.error());
  return EmailAndPassword{std::move(*email), std::move(*password)};
}

Response sign_up(ApiContext& ctx, Request& req) {
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto credentials = credentials_of(*body);
  if (!credentials) return to_problem(credentials.error());
  auto name = required_string(*body, "name");
  if (!name) return to_problem(name.error());
  auto result = ctx.accounts.sign_up(credentials->email, credentials->password, *name);
  if (!result) return to_problem(result.error());
  return signed_in(ctx, 201, *result);
}

Response log_in(ApiContext& ctx, Request& req) {
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto credentials = credentials_of(*body);
  if (!credentials) return to_problem(credentials.error());
  auto result = ctx.accounts.log_in(credentials->email, credentials->password, req.remote_address,
                                    chat::SessionKind::cookie);
  if (!result) return to_problem(result.error());
  return signed_in(ctx, 200, *result);
}

// Revokes a session in storage, then tells every node to close the STOMP
// connections it opened (API.md: "revoked everywhere").
void revoke_everywhere(ApiContext& ctx, const chat::Session& session) {
  ctx.accounts.revoke(session);
  ctx.bus.publish(chat::BusEvent{"sessions." + session.id, "revoke", ""});
}

Response log_out(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  revoke_everywhere(ctx, caller->session);
  Response r = no_content();
  r.set_header("Set-Cookie", ctx.auth.cleared_cookie());
  return r;
}

Response current_session(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  boost::json::object body;
  body["user"] = user_json(caller->user, true);
  body["csrfToken"] = caller->session.csrf_token;
  Response r = json_response(200, body);
  r.set_header("Cache-Control", "no-store");
  return r;
}

// With {"email","password"}: a token for those credentials (rate-limited
// like a login). Without a body: a token for the signed-in caller.
Response mint_token(ApiContext& ctx, Request& req) {
  auto body = parse_json_object(req, /*empty_ok=*/true);
  if (!body) return to_problem(body.error());
  if (body->contains("email") || body->contains("password")) {
    auto credentials = credentials_of(*body);
    if (!credentials) return to_problem(credentials.error());
    auto result = ctx.accounts.log_in(credentials->email, credentials->password, req.remote_address,
                                      chat::SessionKind::bearer);
    if (!result) return to_problem(result.error());
    return token_issued(*result);
  }
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto result = ctx.accounts.mint_token(*caller);
  if (!result) return to_problem(result.error());
  return token_issued(*result);
}

Response revoke_current_token(ApiContext& ctx, Request& req) {
  if (req.header("authorization").empty()) {
    return problem(chat::Code::unauthenticated, "send the token to revoke as Authorization: Bearer <token>");
  }
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  revoke_everywhere(ctx, caller->session);
  return no_content();
}

Response providers(ApiContext&, Request&) {
  boost::json::object body;
  body["local"] = true;
  body["oidc"] = boost::json::array();  // OIDC providers arrive with their issue
  return json_response(200, body);
}

}  // namespace

std::vector<Route> account_routes(ApiContext& ctx) {
  const std::size_t json = ctx.max_json_body_bytes;
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::get, "/api/v1/auth/providers", with_ctx(providers), 0, Runs::inline_on_network_thread},
      {Method::post, "/api/v1/auth/signup", with_ctx(sign_up), json, Runs::on_hashing_workers},
      {Method::post, "/api/v1/auth/login", with_ctx(log_in), json, Runs::on_hashing_workers},
      {Method::post, "/api/v1/auth/logout", with_ctx(log_out), json},
      {Method::get, "/api/v1/auth/session", with_ctx(current_session)},
      {Method::post, "/api/v1/auth/tokens", with_ctx(mint_token), json, Runs::on_hashing_workers},
      {Method::delete_, "/api/v1/auth/tokens/current", with_ctx(revoke_current_token)},
  };
}

}  // namespace chattwo::api
