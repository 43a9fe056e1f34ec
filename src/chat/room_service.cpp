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
  if (auto existing = rooms_.find_direct(caller_id, other_id)) {
    // One of the two left it earlier: as in KakaoTalk, the conversation
    // comes back for them, showing only what is said from now on.
    bool rejoined = false;
    for (std::string_view id : {caller_id, std::string_view(other_id)}) {
      if (existing->member(id)) continue;
      if (auto r = rooms_.rejoin(existing->id, id, clock_.now_ms()); !r) return fail(r.error());
      rejoined = true;
    }
    if (rejoined) {
      if (auto again = rooms_.find(existing->id)) return CreatedRoom{std::move(*again), false};
    }
    return CreatedRoom{std::move(*existing), false};
  }

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


namespace {

Message system_draft(IdGenerator& ids, Clock& clock, std::string_view room_id, std::string text, SystemEvent event) {
  Message m;
  m.id = ids.next_id();
  m.room_id = std::string(room_id);
  m.type = MessageType::system;
  m.text = std::move(text);
  m.system = std::move(event);
  m.created_at_ms = clock.now_ms();
  return m;
}

std::string name_of(UserStore& users, std::string_view id) {
  auto user = users.find_by_id(id);
  return user ? user->name : std::string("someone");
}

}  // namespace

Result<Room> RoomService::rename(std::string_view caller_id, std::string_view room_id, std::string_view name) {
  auto room = get_room(caller_id, room_id);
  if (!room) return room;
  if (room->kind == RoomKind::direct) return fail(Error::conflict("a direct room has no name of its own"));
  auto clean = normalize_room_name(name);
  if (!clean) return fail(clean.error());
  if (auto renamed = rooms_.rename(room_id, *clean); !renamed) return fail(renamed.error());
  room->name = std::move(*clean);
  return room;
}

Result<Invited> RoomService::invite(std::string_view caller_id, std::string_view room_id,
                                    const std::vector<std::string>& user_ids) {
  auto room = get_room(caller_id, room_id);
  if (!room) return fail(room.error());
  if (room->kind == RoomKind::direct) {
    return fail(Error::conflict("a direct room stays between its two members; create a group room instead"));
  }
  if (user_ids.empty()) return fail(Error::validation("userIds names nobody", "userIds"));
  if (user_ids.size() > kMaxMembersPerCreate) {
    return fail(Error::validation("userIds may name at most " + std::to_string(kMaxMembersPerCreate) + " users", "userIds"));
  }
  // The new ones, each once, in the order given; every id must be a user.
  std::vector<std::string> fresh;
  std::vector<std::string> names;
  std::unordered_set<std::string_view> seen;
  for (const auto& id : user_ids) {
    if (!seen.insert(id).second) continue;
    auto user = users_.find_by_id(id);
    if (!user) {
      Error e = unknown_member(id);
      e.field = "userIds";
      return fail(std::move(e));
    }
    if (room->member(id)) continue;
    fresh.push_back(id);
    names.push_back(user->name);
  }
  Invited out;
  if (fresh.empty()) {  // all were members already: nothing to announce
    out.room = std::move(*room);
    return out;
  }
  std::string text = name_of(users_, caller_id) + " invited ";
  for (std::size_t i = 0; i < names.size(); ++i) text += (i ? ", " : "") + names[i];
  SystemEvent event{SystemEvent::Action::invited, std::string(caller_id), fresh};
  auto added = rooms_.add_members(room_id, fresh, system_draft(ids_, clock_, room_id, std::move(text), std::move(event)),
                                  clock_.now_ms());
  if (!added) return fail(added.error());
  auto updated = rooms_.find(room_id);
  if (!updated) return fail(Error::not_found(std::string(kNoSuchRoom)));  // everyone left meanwhile
  out.room = std::move(*updated);
  out.system_message = std::move(added->system_message);
  out.added_ids = std::move(added->added_ids);
  return out;
}

Result<MemberLeft> RoomService::leave(std::string_view caller_id, std::string_view room_id) {
  if (!rooms_.is_member(room_id, caller_id)) return fail(Error::not_found(std::string(kNoSuchRoom)));
  auto left = rooms_.remove_member(room_id, caller_id,
                                   system_draft(ids_, clock_, room_id, name_of(users_, caller_id) + " left",
                                                SystemEvent{SystemEvent::Action::left, std::string(caller_id), {}}));
  if (!left) return fail(Error::not_found(std::string(kNoSuchRoom)));
  return left;
}

}  // namespace chattwo::chat
