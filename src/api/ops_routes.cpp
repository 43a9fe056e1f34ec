#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/routes.hpp"

namespace chattwo::api {
namespace {

Response plain(int status, std::string body, std::string content_type = "text/plain; charset=utf-8",
               std::string cache_control = "no-store") {
  Response r;
  r.status = status;
  r.set_header("Content-Type", std::move(content_type));
  r.set_header("Cache-Control", std::move(cache_control));
  r.body = std::move(body);
  return r;
}

Response metrics_text(ApiContext& ctx) {
  return plain(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace

std::vector<Route> ops_routes(ApiContext& ctx) {
  return {
      {Method::get, "/healthz", [](Request&) { return plain(200, "ok\n"); }, 0, Runs::inline_on_network_thread},
      // Blocking: the storage check is a query.
      {Method::get, "/readyz",
       [&ctx](Request&) {
         const std::string reason = ctx.health.not_ready_reason();
         if (!reason.empty()) return problem(chat::Code::unavailable, "not ready: " + reason);
         return plain(200, "ready\n");
       }},
      // Metrics name routes, rates and versions: not for the public. Remote
      // clients get the same 404 as for a path that does not exist.
      {Method::get, "/metrics",
       [&ctx](Request& req) {
         if (!req.remote_is_loopback) return problem(chat::Code::not_found, "no such resource");
         return metrics_text(ctx);
       },
       0, Runs::inline_on_network_thread},
      {Method::get, "/api/v1/openapi.yaml",
       [](Request&) {
         return plain(200, std::string(openapi_document()), "application/yaml; charset=utf-8", "no-cache");
       },
       0, Runs::inline_on_network_thread},
  };
}

std::vector<Route> metrics_port_routes(ApiContext& ctx) {
  return {
      {Method::get, "/metrics", [&ctx](Request&) { return metrics_text(ctx); }, 0, Runs::inline_on_network_thread},
      {Method::get, "/healthz", [](Request&) { return plain(200, "ok\n"); }, 0, Runs::inline_on_network_thread},
  };
}

std::vector<Route> all_routes(ApiContext& ctx) {
  std::vector<Route> routes;
  for (auto* group : {&account_routes, &profile_routes, &room_routes, &friend_routes, &notification_routes,
                      &image_routes, &ops_routes}) {
    auto more = (*group)(ctx);
    std::move(more.begin(), more.end(), std::back_inserter(routes));
  }
  return routes;
}

}  // namespace chattwo::api
