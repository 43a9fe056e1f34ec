#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/user.hpp"

namespace chattwo::chat {

enum class NotificationType { friend_added, room_invited };

/// "friend_added" or "room_invited", as on the wire and in storage.
constexpr std::string_view to_string(NotificationType type) {
  return type == NotificationType::friend_added ? "friend_added" : "room_invited";
}

/// Something that happened to a user because of another (the actor): they
/// were added as a friend, or invited to a room. Only the recipient ever
/// sees or changes it.
struct Notification {
  std::string id;
  std::string recipient_id;
  NotificationType type = NotificationType::friend_added;
  std::string actor_id;
  std::optional<std::string> room_id;  // room_invited only
  std::int64_t created_at_ms = 0;
  bool read = false;
};

/// A notification with its actor's profile as it is now: what the
/// recipient is shown (Notification JSON on the wire).
struct NotificationView {
  Notification notification;
  User actor;
};

/// One page of a recipient's notifications as a store reads it: newest
/// first, whether older ones exist, and how many of all theirs are unread.
struct NotificationPage {
  std::vector<Notification> notifications;
  bool has_more = false;
  std::int64_t unread_count = 0;
};

/// The same page with each actor's profile, for the recipient.
struct NotificationFeed {
  std::vector<NotificationView> notifications;
  bool has_more = false;
  std::int64_t unread_count = 0;
};

}  // namespace chattwo::chat
