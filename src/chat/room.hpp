#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/message.hpp"

namespace chattwo::chat {

enum class RoomKind { direct, group };

/// "direct" or "group", as on the wire and in storage.
constexpr std::string_view to_string(RoomKind kind) { return kind == RoomKind::direct ? "direct" : "group"; }

/// A user in a room. `joined_seq` is the seq of the first message they may
/// see (1 for the members a room was created with); `last_read_seq` starts at
/// joined_seq - 1 and only moves forward.
struct RoomMember {
  std::string user_id;
  std::int64_t joined_seq = 1;
  std::int64_t last_read_seq = 0;
};

/// A conversation: "direct" between exactly two users (one per pair), or
/// "group". `last_seq` is the seq of its newest message (0 before the first).
struct Room {
  std::string id;
  RoomKind kind = RoomKind::group;
  std::string name;  // 0-80 code points, trimmed; always "" for a direct room
  std::int64_t created_at_ms = 0;
  std::int64_t last_seq = 0;
  std::vector<RoomMember> members;  // in the order they joined

  /// The member entry of `user_id`, or nullptr.
  const RoomMember* member(std::string_view user_id) const {
    for (const auto& m : members) {
      if (m.user_id == user_id) return &m;
    }
    return nullptr;
  }
};

/// One line of a user's room list, as one user sees it: who else is in the
/// room (the first few, for the avatars), the newest message, and how many
/// messages of others they have not read.
struct RoomSummary {
  std::string id;
  RoomKind kind = RoomKind::group;
  std::string name;
  std::int64_t member_count = 0;
  std::vector<std::string> first_other_member_ids;  // up to 4, in the order they joined
  std::optional<Message> last_message;               // with its unread_count
  std::int64_t unread_count = 0;                      // others' messages after the user's read mark
  std::int64_t last_activity_at_ms = 0;               // the list's order, newest first
};

/// One member's view of a room: what their room list shows for it.
struct MemberSummary {
  std::string user_id;
  RoomSummary summary;
};

}  // namespace chattwo::chat
