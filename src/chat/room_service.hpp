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

 private:
  Result<CreatedRoom> direct_room(std::string_view caller_id, const std::string& other_id);

  RoomStore& rooms_;
  UserStore& users_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace chattwo::chat
