#include "api/chat_stomp_app.hpp"

#include <boost/json.hpp>

#include "api/problem.hpp"

namespace chattwo::api {
namespace {

// "/app/rooms.R.messages" -> "R" for suffix ".messages".
std::optional<std::string_view> room_of(std::string_view destination, std::string_view prefix, std::string_view suffix) {
  if (!destination.starts_with(prefix) || !destination.ends_with(suffix)) return std::nullopt;
  std::string_view id = destination.substr(prefix.size(), destination.size() - prefix.size() - suffix.size());
  if (id.empty() || id.find_first_of("./") != std::string_view::npos) return std::nullopt;
  return id;
}

// problem+json for /user/queue/errors, with what lets the client match it
// to its frame: the receipt id and the message's clientMsgId.
std::string error_body(const chat::Error& error, std::string_view receipt, std::string_view client_msg_id) {
  boost::json::object o = boost::json::parse(to_problem(error).body).as_object();
  if (!receipt.empty()) o["receiptId"] = receipt;
  if (!client_msg_id.empty()) o["clientMsgId"] = client_msg_id;
  return boost::json::serialize(o);
}

chat::Result<boost::json::object> parse_body(std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return chat::fail(chat::Error::validation("the body must be a JSON object"));
  return std::move(value.as_object());
}

}  // namespace

chat::Result<StompUser> ChatStompApp::authenticate(std::string_view bearer, std::string_view cookie_secret) {
  auto caller = accounts_.authenticate(bearer.empty() ? cookie_secret : bearer);
  if (!caller) return chat::fail(caller.error());
  return StompUser{caller->user.id, caller->session.id};
}

chat::Result<std::string> ChatStompApp::subscription_topic(const StompUser& user, std::string_view destination) {
  if (destination == "/user/queue/notifications") return "users." + user.user_id;
  if (auto room = room_of(destination, "/topic/rooms.", "")) {
    // Members only; for everyone else the room does not exist.
    if (rooms_.is_member(user.user_id, *room)) return "rooms." + std::string(*room);
    return chat::fail(chat::Error::not_found("no such room"));
  }
  if (destination.starts_with("/user/")) return chat::fail(chat::Error::forbidden("only your own /user/queue/ destinations"));
  return chat::fail(chat::Error::not_found("no such destination"));
}

std::vector<std::optional<std::string>> ChatStompApp::send_batch(const StompUser& user,
                                                                 const std::vector<SendItem>& items) {
  std::vector<std::optional<std::string>> results(items.size());
  std::vector<Effect> effects(items.size());
  batch_.run(
      [&] {
        for (std::size_t i = 0; i < items.size(); ++i) {
          results[i] = perform(user, items[i].destination, items[i].body, items[i].receipt, effects[i]);
        }
      },
      [&] {
        // Committed: only now may anyone see these messages; and published
        // in commit order, so every room's events go out in seq order. All
        // at once, so each subscriber gets the batch in one write.
        RoomEvents::Batch events(events_);
        for (const auto& effect : effects) {
          if (effect.created) events.message_created(*effect.created);
          if (effect.read) events.read_moved(*effect.read);
        }
        events.publish();
      });
  return results;
}

std::optional<std::string> ChatStompApp::perform(const StompUser& user, std::string_view destination,
                                                 std::string_view body, std::string_view receipt, Effect& effect) {
  auto object = parse_body(body);
  if (!object) return error_body(object.error(), receipt, {});

  if (auto room = room_of(destination, "/app/rooms.", ".messages")) {
    auto request = parse_send_request(*object);
    const std::string client_msg_id = request ? request->client_msg_id : std::string();
    if (!request) return error_body(request.error(), receipt, client_msg_id);
    auto sent = messaging_.send(user.user_id, *room, *request);
    if (!sent) return error_body(sent.error(), receipt, client_msg_id);
    if (sent->created) effect.created = std::move(sent->message);
    return std::nullopt;
  }
  if (auto room = room_of(destination, "/app/rooms.", ".read")) {
    auto seq = parse_read_seq(*object);
    if (!seq) return error_body(seq.error(), receipt, {});
    auto mark = messaging_.mark_read(user.user_id, *room, *seq);
    if (!mark) return error_body(mark.error(), receipt, {});
    if (mark->moved) effect.read = std::move(*mark);
    return std::nullopt;
  }
  return error_body(chat::Error::not_found("no such destination: " + std::string(destination)), receipt, {});
}

std::string ChatStompApp::subscribe_error(const chat::Error& error, std::string_view destination) {
  chat::Error e = error;
  e.detail = "cannot subscribe to " + std::string(destination) + ": " + e.detail;
  return error_body(e, {}, {});
}

}  // namespace chattwo::api
