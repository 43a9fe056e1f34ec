#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "chat/result.hpp"
#include "chat/user.hpp"

namespace chattwo::chat {

/// Port: who has added whom as a friend. One-way, like KakaoTalk's "add
/// friend": A having B says nothing about B having A. Friends and users
/// live in the same database in every deployment (ARCHITECTURE.md), so
/// list() reads the friends' profiles with them, sorted and filtered there.
/// Methods block: call them from a worker thread.
class FriendStore {
 public:
  virtual ~FriendStore() = default;

  /// Adds `friend_id` to `user_id`'s friends: true when added now, false
  /// when they already were. Code::conflict when `user_id` already has
  /// `max_friends` friends (checked in the same transaction as the insert,
  /// so concurrent adds can't pass it); Code::not_found when either user
  /// does not exist.
  virtual Result<bool> add(std::string_view user_id, std::string_view friend_id, std::int64_t at_ms,
                           std::size_t max_friends) = 0;

  /// Removes `friend_id` from `user_id`'s friends: true when it was there.
  virtual bool remove(std::string_view user_id, std::string_view friend_id) = 0;

  /// At most `limit` of `user_id`'s friends, by name then id, names
  /// ordered as UserStore::search orders them. A non-empty
  /// `name_part` keeps those whose name contains it, matched as
  /// UserQuery::name_part is.
  virtual std::vector<User> list(std::string_view user_id, std::string_view name_part, std::size_t limit) = 0;
};

}  // namespace chattwo::chat
