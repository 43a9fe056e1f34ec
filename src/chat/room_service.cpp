#include "chat/room_service.hpp"

#include <unordered_set>

#include "chat/validation.hpp"

namespace chattwo::chat {
namespace {

// The same answer for a room that does not exist and one the caller is not
// in: anything else would tell outsiders which room ids are real.
constexpr std::string_view kNoSuchRoom = "no room with this id that you are a member of";

Error unknown_member(std::string_view id) {
  // Echo the id only when it could be one (short, visible ASCII), so a
  // detail never carries a megabyte or control characters back.
  const bool echo = check_client_msg_id(id).has_value();
  return Error{Code::not_found,
               echo ? "memberIds: no user with id " + std::string(id) : "memberIds names a user that does not exist",
               "memberIds"};
}

}  // namespace

RoomService::RoomService(RoomStore& rooms, UserStore& users, Clock& clock, IdGenerator& ids)
    : rooms_(rooms), users_(users), clock_(clock), ids_(ids) {}

Result<CreatedRoom> RoomService::create_room(std::string_view caller_id, const std::vector<std::string>& member_ids,
                                             const std::optional<std::string>& name) {
  std::string clean_name;
  if (name) {
    auto normalized = normalize_room_name(*name);
    if (!normalized) return fail(normalized.error());
    clean_name = std::move(*normalized);
  }

  // The others, each once, in the order given (the order they "joined").
  std::vector<std::string> others;
  std::unordered_set<std::string_view> seen{caller_id};
  for (const auto& id : member_ids) {
    if (seen.insert(id).second) others.push_back(id);
  }
  if (others.size() > kMaxMembersPerCreate) {
    return fail(Error::validation("memberIds may name at most " + std::to_string(kMaxMembersPerCreate) +
                                      " other users; invite more once the room exists",
                                  "memberIds"));
  }
  for (const auto& id : others) {
    if (!users_.find_by_id(id)) return fail(unknown_member(id));
  }

  if (others.size() == 1 && clean_name.empty()) return direct_room(caller_id, others.front());

  Room room;
  room.id = ids_.next_id();
  room.kind = RoomKind::group;
  room.name = std::move(clean_name);
  room.created_at_ms = clock_.now_ms();
  room.members.push_back({std::string(caller_id), 1, 0});
  for (auto& id : others) room.members.push_back({std::move(id), 1, 0});
  if (auto inserted = rooms_.insert(room); !inserted) return fail(inserted.error());
  return CreatedRoom{std::move(room), true};
}

Result<CreatedRoom> RoomService::direct_room(std::string_view caller_id, const std::string& other_id) {
  if (auto existing = rooms_.find_direct(caller_id, other_id)) return CreatedRoom{std::move(*existing), false};

  Room room;
  room.id = ids_.next_id();
  room.kind = RoomKind::direct;
  room.created_at_ms = clock_.now_ms();
  room.members.push_back({std::string(caller_id), 1, 0});
  room.members.push_back({other_id, 1, 0});
  auto inserted = rooms_.insert(room);
  if (inserted) return CreatedRoom{std::move(room), true};
  // Both users opened the chat at once and the other insert won: theirs is
  // the one direct room, and this call found it, not made it.
  if (inserted.error().code == Code::conflict) {
    if (auto existing = rooms_.find_direct(caller_id, other_id)) return CreatedRoom{std::move(*existing), false};
  }
  return fail(inserted.error());
}

Result<Room> RoomService::get_room(std::string_view caller_id, std::string_view room_id) {
  auto room = rooms_.find(room_id);
  if (!room || !room->member(caller_id)) return fail(Error::not_found(std::string(kNoSuchRoom)));
  return std::move(*room);
}

bool RoomService::is_member(std::string_view user_id, std::string_view room_id) {
  return rooms_.is_member(room_id, user_id);
}

std::vector<RoomSummary> RoomService::list_rooms(std::string_view caller_id) { return rooms_.summaries_for(caller_id); }

}  // namespace chattwo::chat
