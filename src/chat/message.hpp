#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/image.hpp"

namespace chattwo::chat {

enum class MessageType { text, image, system };

/// "text", "image" or "system", as on the wire and in storage.
constexpr std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::text: return "text";
    case MessageType::image: return "image";
    case MessageType::system: return "system";
  }
  return "text";
}

/// What a system message is about, for clients to put in their own words
/// (its `text` is the English fallback): `actor_id` invited `user_ids`, or
/// `actor_id` left (no user_ids).
struct SystemEvent {
  enum class Action { invited, left } action = Action::invited;
  std::string actor_id;
  std::vector<std::string> user_ids;
};

constexpr std::string_view to_string(SystemEvent::Action action) {
  return action == SystemEvent::Action::left ? "left" : "invited";
}

/// One message of a room. `seq` is its place in the room: from 1, strictly
/// increasing with no gaps, the order every member sees.
struct Message {
  std::string id;
  std::string room_id;
  std::int64_t seq = 0;
  std::optional<std::string> sender_id;  // absent for system messages
  MessageType type = MessageType::text;
  std::string text;  // exactly as sent; empty for images
  std::optional<std::string> image_id;
  std::optional<Image> image;  // for an image message: its record (stores fill it in when they read one)
  std::optional<std::string> client_msg_id;  // the sender's idempotency key
  std::optional<SystemEvent> system;  // system messages written since migration 0006
  std::int64_t created_at_ms = 0;
  /// How many members have last_read_seq < seq, when this value was read
  /// (always 0 for system messages).
  std::int64_t unread_count = 0;
};

/// Where a member's read mark stands after a mark-read. `moved` is false
/// when it was already at or past the asked seq (nothing to tell the room).
struct ReadMark {
  std::string room_id;
  std::string user_id;
  std::int64_t last_read_seq = 0;
  bool moved = false;
};

}  // namespace chattwo::chat
