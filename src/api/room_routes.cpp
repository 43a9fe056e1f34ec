#include <boost/json/array.hpp>

#include <algorithm>
#include <map>

#include "api/json_body.hpp"
#include "api/presenters.hpp"
#include "api/query_values.hpp"
#include "api/problem.hpp"
#include "api/room_events.hpp"
#include "api/routes.hpp"

namespace chattwo::api {
namespace {

// The Room JSON with each member's User. The caller's own User comes from
// the request; the others are looked up (a member whose account is gone is
// left out rather than failing the whole room).
Response room_response(ApiContext& ctx, int status, const chat::Room& room, const chat::User& caller) {
  std::vector<std::string> others;
  for (const auto& m : room.members) {
    if (m.user_id != caller.id) others.push_back(m.user_id);
  }
  UsersById users = find_users_by_id(ctx.accounts, std::move(others));
  users.emplace(caller.id, caller);
  Response r = json_response(status, room_json(room, users, caller.id));
  if (status == 201) r.set_header("Location", "/api/v1/rooms/" + room.id);
  return r;
}

// A required array of user ids in `field` (memberIds, userIds).
chat::Result<std::vector<std::string>> id_list(const boost::json::object& body, std::string_view field) {
  const std::string name(field);
  const auto* ids = body.if_contains(field);
  if (!ids) return chat::fail(chat::Error::validation(name + " is required", name));
  auto wrong = [&] { return chat::fail(chat::Error::validation(name + " must be an array of user ids", name)); };
  if (!ids->is_array()) return wrong();
  std::vector<std::string> out;
  out.reserve(ids->as_array().size());
  for (const auto& id : ids->as_array()) {
    if (!id.is_string()) return wrong();
    out.emplace_back(id.as_string());
  }
  return out;
}

// room_invited for each newcomer: stored in one commit, then sent live.
void notify_invited(ApiContext& ctx, std::string_view actor_id, const std::vector<std::string>& user_ids,
                    std::string_view room_id) {
  std::vector<chat::NotificationView> views;
  ctx.batch.run([&] {
    for (const auto& id : user_ids) {
      if (id == actor_id) continue;
      auto view = ctx.notifications.record(chat::NotificationType::room_invited, actor_id, id, std::string(room_id));
      if (view) views.push_back(std::move(*view));
    }
  });
  for (const auto& view : views) ctx.notifications.announce(view);
}

Response create_room(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto ids = id_list(*body, "memberIds");
  if (!ids) return to_problem(ids.error());
  // A null name is no name, like an absent one.
  auto name = nullable_string(*body, "name");
  if (!name) return to_problem(name.error());
  auto created = ctx.rooms.create_room(caller->user.id, *ids, name->value_or(std::nullopt));
  if (!created) return to_problem(created.error());
  if (created->created) {
    std::vector<std::string> members;
    for (const auto& m : created->room.members) members.push_back(m.user_id);
    notify_invited(ctx, caller->user.id, members, created->room.id);
    ctx.room_events.created(created->room);
  } else {
    // The caller's direct room, found again (and rejoined if they had left
    // it): their other devices' lists show it.
    ctx.room_events.rejoined(created->room.id, caller->user.id);
  }
  return room_response(ctx, created->created ? 201 : 200, created->room, caller->user);
}

Response list_rooms(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto summaries = ctx.rooms.list_rooms(caller->user.id);
  // Every member the list shows, in one lookup.
  std::vector<std::string> ids;
  for (const auto& s : summaries) ids.insert(ids.end(), s.first_other_member_ids.begin(), s.first_other_member_ids.end());
  const UsersById users = find_users_by_id(ctx.accounts, std::move(ids));
  boost::json::array list;
  list.reserve(summaries.size());
  for (const auto& s : summaries) list.push_back(room_summary_json(s, users));
  return json_response(200, list);
}

Response get_room(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto room = ctx.rooms.get_room(caller->user.id, req.path_params.at("id"));
  if (!room) return to_problem(room.error());
  return room_response(ctx, 200, *room, caller->user);
}

Response send_message(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto request = parse_send_request(*body);
  if (!request) return to_problem(request.error());
  std::optional<chat::Result<chat::Sent>> sent;
  std::string json;
  // Announced once, when stored (a retry only answers the sender again),
  // in commit order with every other send: the room sees seq order.
  ctx.batch.run([&] { sent = ctx.messaging.send(caller->user.id, req.path_params.at("id"), *request); },
                [&] {
                  if (*sent && (*sent)->created) json = ctx.room_events.message_created((*sent)->message);
                });
  if (!*sent) return to_problem(sent->error());
  Response r;
  r.status = (*sent)->created ? 201 : 200;
  r.set_header("Content-Type", "application/json");
  r.body = json.empty() ? message_json((*sent)->message) : std::move(json);
  return r;
}

Response history(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto before = query_integer(req, "before");
  if (!before) return to_problem(before.error());
  auto after = query_integer(req, "after");
  if (!after) return to_problem(after.error());
  auto limit = query_limit(req, "limit", 50, 100);
  if (!limit) return to_problem(limit.error());
  const chat::PageQuery query{*before, *after, *limit};
  auto page = ctx.messaging.history(caller->user.id, req.path_params.at("id"), query);
  if (!page) return to_problem(page.error());
  return json_response(200, message_page_json(*page));
}

Response rename_room(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto name = required_string(*body, "name");
  if (!name) return to_problem(name.error());
  auto room = ctx.rooms.rename(caller->user.id, req.path_params.at("id"), *name);
  if (!room) return to_problem(room.error());
  ctx.room_events.renamed(*room, caller->user.id);
  return room_response(ctx, 200, *room, caller->user);
}

Response invite(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto ids = id_list(*body, "userIds");
  if (!ids) return to_problem(ids.error());
  std::optional<chat::Result<chat::Invited>> result;
  ctx.batch.run([&] { result = ctx.rooms.invite(caller->user.id, req.path_params.at("id"), *ids); },
                [&] {  // the system message keeps its place in the room's seq order
                  if (*result && (*result)->system_message) {
                    ctx.room_events.joined(*(*result)->system_message, (*result)->added_ids);
                  }
                });
  if (!*result) return to_problem(result->error());
  auto& invited = *result;
  if (invited->system_message) notify_invited(ctx, caller->user.id, invited->added_ids, invited->room.id);
  return room_response(ctx, 200, invited->room, caller->user);
}

Response leave(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  const std::string& room_id = req.path_params.at("id");
  std::optional<chat::Result<chat::MemberLeft>> left;
  ctx.batch.run([&] { left = ctx.rooms.leave(caller->user.id, room_id); },
                [&] {
                  if (*left) ctx.room_events.left(room_id, caller->user.id, (*left)->system_message);
                });
  if (!*left) return to_problem(left->error());
  return no_content();
}

Response mark_read(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto body = parse_json_object(req);
  if (!body) return to_problem(body.error());
  auto seq = parse_read_seq(*body);
  if (!seq) return to_problem(seq.error());
  std::optional<chat::Result<chat::ReadMark>> mark;
  ctx.batch.run([&] { mark = ctx.messaging.mark_read(caller->user.id, req.path_params.at("id"), *seq); },
                [&] {
                  if (*mark && (*mark)->moved) ctx.room_events.read_moved(**mark);
                });
  if (!*mark) return to_problem(mark->error());
  return no_content();
}

}  // namespace

std::vector<Route> room_routes(ApiContext& ctx) {
  const std::size_t json = ctx.max_json_body_bytes;
  auto with_ctx = [&ctx](Response (*fn)(ApiContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  return {
      {Method::post, "/api/v1/rooms", with_ctx(create_room), json},
      {Method::get, "/api/v1/rooms", with_ctx(list_rooms)},
      {Method::get, "/api/v1/rooms/{id}", with_ctx(get_room)},
      {Method::patch, "/api/v1/rooms/{id}", with_ctx(rename_room), json},
      {Method::post, "/api/v1/rooms/{id}/members", with_ctx(invite), json},
      {Method::delete_, "/api/v1/rooms/{id}/members/me", with_ctx(leave)},
      {Method::get, "/api/v1/rooms/{id}/messages", with_ctx(history)},
      {Method::post, "/api/v1/rooms/{id}/messages", with_ctx(send_message), json},
      {Method::post, "/api/v1/rooms/{id}/read", with_ctx(mark_read), json},
  };
}

}  // namespace chattwo::api
