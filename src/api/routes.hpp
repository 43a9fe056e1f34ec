#pragma once
// The REST endpoints, in groups (one file each), for net/'s router.
#include <string_view>
#include <vector>

#include "api/api_context.hpp"
#include "api/http_types.hpp"

namespace chattwo::api {

/// /api/v1/auth/*: sign-up, login, logout, session, tokens, providers.
std::vector<Route> account_routes(ApiContext& ctx);
/// /api/v1/me, /api/v1/users (search) and /api/v1/users/{id}.
std::vector<Route> profile_routes(ApiContext& ctx);
/// /api/v1/rooms: create and see rooms, send messages, mark them read.
std::vector<Route> room_routes(ApiContext& ctx);
/// /api/v1/friends: the caller's friends; add and remove one.
std::vector<Route> friend_routes(ApiContext& ctx);
/// /api/v1/notifications: the caller's notifications, and marking them read.
std::vector<Route> notification_routes(ApiContext& ctx);
/// /api/v1/images: upload, and the bytes of an image for those who may see it.
std::vector<Route> image_routes(ApiContext& ctx);
/// /healthz, /readyz and /metrics (loopback clients only on the main port).
std::vector<Route> ops_routes(ApiContext& ctx);
/// The routes of --metrics-listen: /metrics for anyone who can reach it.
std::vector<Route> metrics_port_routes(ApiContext& ctx);

/// The OpenAPI 3.1 document of this API (docs/openapi.yaml, compiled in).
std::string_view openapi_document();

/// Every route of the main port.
std::vector<Route> all_routes(ApiContext& ctx);

}  // namespace chattwo::api
