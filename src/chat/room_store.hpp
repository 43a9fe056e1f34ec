#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/message.hpp"
#include "chat/result.hpp"
#include "chat/room.hpp"

namespace chattwo::chat {

/// What an invitation stored: the room's system message about it (its seq
/// is the new members' joined_seq) and who was added.
struct MembersAdded {
  Message system_message;
  std::vector<std::string> added_ids;
};

/// What a leave did: the system message about it (none when the room was
/// deleted, having no members left).
struct MemberLeft {
  std::optional<Message> system_message;
  bool room_deleted = false;
};

/// Port: rooms and who is in them since when (SQLite by default, MySQL when
/// scaled out). A direct room is unique per pair of users, whichever of them
/// created it. Read marks and last_seq move through MessageStore, with the
/// messages; find() reports them as they stand.
/// Methods block: call them from a worker thread.
class RoomStore {
 public:
  virtual ~RoomStore() = default;

  /// Stores a new room with its members (each user must exist). `last_seq`
  /// is taken as 0. Code::conflict when `room` is direct and a direct room
  /// between its two members exists.
  virtual Result<void> insert(const Room& room) = 0;
  /// The room with its members as one consistent snapshot, or nullopt.
  virtual std::optional<Room> find(std::string_view room_id) = 0;
  /// The direct room between the two users (in either order), or nullopt.
  virtual std::optional<Room> find_direct(std::string_view user_a, std::string_view user_b) = 0;
  virtual bool is_member(std::string_view room_id, std::string_view user_id) = 0;

  /// The rooms `user_id` is in, newest activity first, each as that user
  /// sees it (RoomSummary), from one consistent read. Cost grows with the
  /// number of rooms, not with their histories.
  virtual std::vector<RoomSummary> summaries_for(std::string_view user_id) = 0;
  /// The room as each of its members sees it (for each, what summaries_for
  /// gives them for this room), from one consistent read; only those of
  /// `user_ids` who are members when it is not empty. Empty for no such
  /// room. Cost grows with the members, not with the history: this is what
  /// keeps open room lists current after every change.
  virtual std::vector<MemberSummary> member_summaries(std::string_view room_id,
                                                      const std::vector<std::string>& user_ids) = 0;

  /// In one transaction: appends `system_draft` as the room's next seq
  /// (MessageStore::append's rules for a message without sender), then adds
  /// each of `user_ids` not yet a member with joined_seq = that seq and
  /// last_read_seq = seq - 1. Code::not_found for no such room or user.
  virtual Result<MembersAdded> add_members(std::string_view room_id, const std::vector<std::string>& user_ids,
                                           const Message& system_draft, std::int64_t now_ms) = 0;
  /// In one transaction: removes `user_id`; if others remain, appends
  /// `system_draft` (who left), else deletes the room with its messages.
  /// Code::not_found when the user is not a member.
  virtual Result<MemberLeft> remove_member(std::string_view room_id, std::string_view user_id,
                                           const Message& system_draft) = 0;
  /// Sets the name. Code::not_found for no such room.
  virtual Result<void> rename(std::string_view room_id, std::string_view name) = 0;
  /// Makes `user_id` a member again of a room they left (a direct room
  /// opened again): they see what comes next (joined_seq = last_seq + 1).
  virtual Result<void> rejoin(std::string_view room_id, std::string_view user_id, std::int64_t now_ms) = 0;
};

}  // namespace chattwo::chat
