#pragma once
#include <vector>
#include <optional>
// Room events for the bus, made in one place for REST and STOMP alike: the
// same service results produce the same JSON, serialised once per event.
// Also the parsing of the two room SEND bodies, which both protocols share.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "chat/event_bus.hpp"
#include "chat/room.hpp"
#include "chat/message.hpp"
#include "chat/messaging.hpp"
#include "chat/result.hpp"

namespace chattwo::api {

/// "rooms.<roomId>": the bus topic of a room (STOMP /topic/rooms.<roomId>).
std::string room_topic(std::string_view room_id);

/// The Message JSON of API.md, as the REST answer and the event carry it.
std::string message_json(const chat::Message& message);

/// {"roomId", "userId", "lastReadSeq"}: the body of a `read` event.
std::string read_json(const chat::ReadMark& mark);

/// {"clientMsgId", "type", "text"} or {"clientMsgId", "type", "imageId"}:
/// the fields present with the right JSON types (Code::validation naming
/// the field otherwise). Their values are checked by chat::Messaging.
chat::Result<chat::SendRequest> parse_send_request(const boost::json::object& body);

/// {"seq"}: an integer (one above int64 reads as the largest; the room's
/// last seq caps it anyway). Code::validation otherwise.
chat::Result<std::int64_t> parse_read_seq(const boost::json::object& body);

/// Publishes what happened in a room to the bus, for the room's
/// subscribers on every node. Call only after the change is stored, and
/// only for real changes (a created message, a read mark that moved), so
/// that a retry is never announced twice. Thread-safe (as the bus is).
class RoomEvents {
 public:
  explicit RoomEvents(chat::EventBus& bus) : bus_(bus) {}

  /// Event "message" with the Message JSON on the room's topic. Returns
  /// that JSON, so a REST answer can reuse it rather than serialise again.
  std::string message_created(const chat::Message& message);

  /// Event "read" with {"roomId", "userId", "lastReadSeq"} on the room's topic.
  void read_moved(const chat::ReadMark& mark);

  /// A group room's new name: event "member" {"roomId", "action": "renamed",
  /// "userIds": [who], "name"}.
  void renamed(const chat::Room& room, std::string_view by_user_id);
  /// An invitation: its system message, then "member" "joined" with the ids.
  void joined(const chat::Message& system_message, const std::vector<std::string>& user_ids);
  /// A leave: the system message (if the room remains), "member" "left",
  /// and the leaver's subscriptions to the room end on every node.
  void left(std::string_view room_id, std::string_view user_id, const std::optional<chat::Message>& system_message);

  /// The same events, made but not yet published: a batch collects them
  /// and publishes them together (publish_all) once committed.
  static chat::BusEvent message_event(const chat::Message& message);
  static chat::BusEvent read_event(const chat::ReadMark& mark);
  void publish_all(std::vector<chat::BusEvent> events) { bus_.publish_all(std::move(events)); }

 private:
  chat::EventBus& bus_;
};

}  // namespace chattwo::api
