#include <boost/json/array.hpp>

#include <optional>
#include <string>
#include <vector>

#include "api/json_body.hpp"
#include "api/notification_events.hpp"
#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/query_values.hpp"
#include "api/routes.hpp"

namespace chattwo::api {
namespace {

Response list_notifications(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto before = query_text(req, "before");
  if (!before) return to_problem(before.error());
  auto limit = query_limit(req, "limit", chat::kDefaultNotificationPage, chat::kMaxNotificationPage);
  if (!limit) return to_problem(limit.error());
  auto feed = ctx.notifications.list(caller->user.id, *before, *limit);
  if (!feed) return to_problem(feed.error());

  boost::json::array items;
  items.reserve(feed->notifications.size());
  for (const auto& view : feed->notifications) items.push_back(notification_object(view));
  boost::json::object body;
  body["notifications"] = std::move(items);
  body["unreadCount"] = feed->unread_count;
  body["hasMore"] = feed->has_more;
  return json_response(200, body);
}

// The body of POST /notifications/read: {"ids": [...]} or {"all": true}.
struct ReadRequest {
  bool all = false;
  std::optional<std::vector<std::string>> ids;
};

chat::Result<ReadRequest> parse_read_request(const boost::json::object& body) {
  ReadRequest request;
  if (const auto* all = body.if_contains("all")) {
    if (!all->is_bool()) return chat::fail(chat::Error::validation("all must be true or false", "all"));
    request.all = all->as_bool();
  }
  if (const auto* ids = body.if_contains("ids")) {
    auto wrong = [] { return chat::fail(chat::Error::validation("ids must be an array of notification ids", "ids")); };
    if (!ids->is_array()) return wrong();
    request.ids.emplace();
    request.ids->reserve(ids->as_array().size());
    for (const auto& id : ids->as_array()) {
      if (!id.is_string()) return wrong();
      request.ids->emplace_back(id.as_string());
    }
  }
  if (!request.all && !request.ids) {
    return chat::fail(chat::Error::validation("send {\"ids\": [...]} or {\"all\": true}", "ids"));
  }
  return request;
}

// Only the caller's own notifications change; ids of others' or unknown
// ones are ignored, so the answer tells nobody which ids exist.
Response mark_read(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto request = parse_read_request(*body);
  if (!request) return to_problem(request.error());
  if (request->all) {
    // Everything is read then, whatever ids says.
    ctx.notifications.mark_all_read(caller->user.id);
  } else if (auto marked = ctx.notifications.mark_read(caller->user.id, *request->ids); !marked) {
    return to_problem(marked.error());
  }
  return no_content();
}

}  // namespace

std::vector<Route> notification_routes(ApiContext& ctx) {
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::get, "/api/v1/notifications", with_ctx(list_notifications)},
      {Method::post, "/api/v1/notifications/read", with_ctx(mark_read), ctx.max_json_body_bytes},
  };
}

}  // namespace chattwo::api
