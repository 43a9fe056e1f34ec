#pragma once
#include <optional>
#include <string_view>

#include "chat/result.hpp"
#include "chat/room.hpp"

namespace chattwo::chat {

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
};

}  // namespace chattwo::chat
