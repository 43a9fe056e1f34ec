#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/clock.hpp"
#include "chat/result.hpp"
#include "chat/room.hpp"
#include "chat/room_store.hpp"
#include "chat/user_store.hpp"

namespace chattwo::chat {

// Other members one create may name: bounds the work of one request (each
// is a lookup and a row; 1000 take ~10 ms). chattwo-bench builds larger
// rooms in chunks of this size; a limit per room, if any, comes with invites.
inline constexpr std::size_t kMaxMembersPerCreate = 1000;

/// What create_room hands back: the room, and whether this call created it
/// (false: the existing direct room between the two users).
struct CreatedRoom {
  Room room;
  bool created = false;
};

/// What an invitation did: the room as it is now, and, when anyone was
/// added, the system message announcing it and who.
struct Invited {
  Room room;
  std::optional<Message> system_message;
  std::vector<std::string> added_ids;
};

/// Rooms: creating direct and group rooms, and seeing one. Only members see
/// a room; to everyone else it does not exist (Code::not_found, so room ids
/// don't leak). All methods block (storage): call from a worker.
class RoomService {
 public:
  RoomService(RoomStore& rooms, UserStore& users, Clock& clock, IdGenerator& ids);

  /// With exactly one other member and no name (absent or blank): the direct
  /// room between the two, created or reused from either side. Otherwise a
  /// new group room. The caller is a member either way (listing them is
  /// harmless); every other id must name a user (Code::not_found). Members
  /// start with joined_seq 1 and last_read_seq 0.
  Result<CreatedRoom> create_room(std::string_view caller_id, const std::vector<std::string>& member_ids,
                                  const std::optional<std::string>& name);

  /// The room, if the caller is a member; Code::not_found otherwise.
  Result<Room> get_room(std::string_view caller_id, std::string_view room_id);

  bool is_member(std::string_view user_id, std::string_view room_id);

  /// The caller's rooms, newest activity first, as they see them.
  std::vector<RoomSummary> list_rooms(std::string_view caller_id);

  /// Renames a group room the caller is in. Code::not_found for others,
  /// Code::conflict for a direct room, Code::validation for a bad name.
  Result<Room> rename(std::string_view caller_id, std::string_view room_id, std::string_view name);

  /// Adds users to a group room the caller is in, with a system message
  /// "A invited B, C" whose seq is their joined_seq (they see history from
  /// there). Members already in are skipped; if nobody is new, nothing is
  /// stored. Code::not_found (room, or a user), Code::conflict (direct room).
  Result<Invited> invite(std::string_view caller_id, std::string_view room_id, const std::vector<std::string>& user_ids);

  /// The caller leaves: a system message "A left" for the others, or, when
  /// nobody remains, the room is deleted with its messages. A direct room
  /// is left for the caller only (it comes back if either opens it again).
  Result<MemberLeft> leave(std::string_view caller_id, std::string_view room_id);

 private:
  Result<CreatedRoom> direct_room(std::string_view caller_id, const std::string& other_id);

  RoomStore& rooms_;
  UserStore& users_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace chattwo::chat
