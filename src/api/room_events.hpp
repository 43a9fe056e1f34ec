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
#include "chat/room_list_updates.hpp"

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
///
/// Each change also reaches the members' room lists through `lists` (when
/// given): it marks the room's views stale, and RoomListUpdates sends them,
/// coalesced, as `room` events.
class RoomEvents {
 public:
  explicit RoomEvents(chat::EventBus& bus, chat::RoomListUpdates* lists = nullptr) : bus_(bus), lists_(lists) {}

  /// The events of one committed batch, collected in commit order and
  /// published together (one publish_all: each subscriber gets its share in
  /// one write).
  class Batch {
   public:
    explicit Batch(RoomEvents& owner) : owner_(owner) {}
    void message_created(const chat::Message& message);
    /// The same with the Message JSON already made (MessageJsonTemplate).
    void message_created(const chat::Message& message, std::string json);
    void read_moved(const chat::ReadMark& mark);
    void publish();

   private:
    RoomEvents& owner_;
    std::vector<chat::BusEvent> events_;
  };

  /// A new room, or one the caller came back to: it appears in lists.
  void created(const chat::Room& room);
  void rejoined(std::string_view room_id, std::string_view user_id);

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

  /// The same events, made but not published.
  static chat::BusEvent message_event(const chat::Message& message);
  static chat::BusEvent read_event(const chat::ReadMark& mark);

 private:
  void room_changed(std::string_view room_id) {
    if (lists_) lists_->room_changed(room_id);
  }
  void member_changed(std::string_view room_id, std::string_view user_id) {
    if (lists_) lists_->member_changed(room_id, user_id);
  }

  chat::EventBus& bus_;
  chat::RoomListUpdates* lists_;
};

}  // namespace chattwo::api
