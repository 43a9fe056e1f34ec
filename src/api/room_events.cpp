#include "api/room_events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <limits>

#include "api/json_body.hpp"
#include "api/notification_events.hpp"
#include "api/presenters.hpp"

namespace chattwo::api {

std::string room_topic(std::string_view room_id) {
  std::string topic = "rooms.";
  topic += room_id;
  return topic;
}

std::string message_json(const chat::Message& message) { return boost::json::serialize(message_object(message)); }

std::string read_json(const chat::ReadMark& mark) {
  boost::json::object o;
  o["roomId"] = mark.room_id;
  o["userId"] = mark.user_id;
  o["lastReadSeq"] = mark.last_read_seq;
  return boost::json::serialize(o);
}

chat::Result<chat::SendRequest> parse_send_request(const boost::json::object& body) {
  chat::SendRequest request;
  auto client_msg_id = required_string(body, "clientMsgId");
  if (!client_msg_id) return chat::fail(std::move(client_msg_id).error());
  request.client_msg_id = std::move(*client_msg_id);
  auto type = required_string(body, "type");
  if (!type) return chat::fail(std::move(type).error());
  request.type = std::move(*type);
  if (request.type == "text") {
    auto text = required_string(body, "text");
    if (!text) return chat::fail(std::move(text).error());
    request.text = std::move(*text);
  } else if (request.type == "image") {
    auto image_id = required_string(body, "imageId");
    if (!image_id) return chat::fail(std::move(image_id).error());
    request.image_id = std::move(*image_id);
  }
  // Any other type is the service's to refuse, with the same words for
  // REST and STOMP.
  return request;
}

chat::Result<std::int64_t> parse_read_seq(const boost::json::object& body) {
  const auto* seq = body.if_contains("seq");
  if (!seq) return chat::fail(chat::Error::validation("seq is required", "seq"));
  if (seq->is_int64()) return seq->as_int64();
  if (seq->is_uint64()) return std::numeric_limits<std::int64_t>::max();
  return chat::fail(chat::Error::validation("seq must be an integer", "seq"));
}

std::string RoomEvents::message_created(const chat::Message& message) {
  chat::BusEvent event = message_event(message);
  std::string json = event.payload;
  bus_.publish(std::move(event));
  room_changed(message.room_id);
  return json;
}

void RoomEvents::read_moved(const chat::ReadMark& mark) {
  bus_.publish(read_event(mark));
  member_changed(mark.room_id, mark.user_id);
}

void RoomEvents::created(const chat::Room& room) { room_changed(room.id); }

void RoomEvents::rejoined(std::string_view room_id, std::string_view user_id) { member_changed(room_id, user_id); }

void RoomEvents::Batch::message_created(const chat::Message& message) {
  events_.push_back(message_event(message));
  owner_.room_changed(message.room_id);
}

void RoomEvents::Batch::message_created(const chat::Message& message, std::string json) {
  events_.push_back(chat::BusEvent{room_topic(message.room_id), "message", std::move(json)});
  owner_.room_changed(message.room_id);
}

void RoomEvents::Batch::read_moved(const chat::ReadMark& mark) {
  events_.push_back(read_event(mark));
  owner_.member_changed(mark.room_id, mark.user_id);
}

void RoomEvents::Batch::publish() {
  if (!events_.empty()) owner_.bus_.publish_all(std::move(events_));
  events_.clear();
}

chat::BusEvent RoomEvents::message_event(const chat::Message& message) {
  return chat::BusEvent{room_topic(message.room_id), "message", message_json(message)};
}

chat::BusEvent RoomEvents::read_event(const chat::ReadMark& mark) {
  return chat::BusEvent{room_topic(mark.room_id), "read", read_json(mark)};
}

namespace {

std::string member_json(std::string_view room_id, std::string_view action, const std::vector<std::string>& user_ids,
                        const std::string* name) {
  boost::json::object o;
  o["roomId"] = room_id;
  o["action"] = action;
  boost::json::array ids;
  for (const auto& id : user_ids) ids.emplace_back(id);
  o["userIds"] = std::move(ids);
  if (name) o["name"] = *name;
  return boost::json::serialize(o);
}

}  // namespace

void RoomEvents::renamed(const chat::Room& room, std::string_view by_user_id) {
  bus_.publish(chat::BusEvent{room_topic(room.id), "member",
                              member_json(room.id, "renamed", {std::string(by_user_id)}, &room.name)});
  room_changed(room.id);
}

void RoomEvents::joined(const chat::Message& system_message, const std::vector<std::string>& user_ids) {
  std::vector<chat::BusEvent> events;
  events.push_back(message_event(system_message));
  events.push_back({room_topic(system_message.room_id), "member",
                    member_json(system_message.room_id, "joined", user_ids, nullptr)});
  bus_.publish_all(std::move(events));
  room_changed(system_message.room_id);
}

void RoomEvents::left(std::string_view room_id, std::string_view user_id,
                      const std::optional<chat::Message>& system_message) {
  std::vector<chat::BusEvent> events;
  if (system_message) events.push_back(message_event(*system_message));
  events.push_back({room_topic(room_id), "member", member_json(room_id, "left", {std::string(user_id)}, nullptr)});
  // Control, after the rest: the leaver sees their leaving, then nothing more.
  events.push_back({room_topic(room_id), "evict", std::string(user_id)});
  // The leaver's other devices and tabs drop the room from their lists.
  events.push_back({user_topic(user_id), "room_removed", boost::json::serialize(boost::json::object{{"roomId", room_id}})});
  bus_.publish_all(std::move(events));
  room_changed(room_id);  // the others' member counts; a deleted room sends nothing
}

}  // namespace chattwo::api
