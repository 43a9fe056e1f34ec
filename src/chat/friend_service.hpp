#pragma once
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "chat/clock.hpp"
#include "chat/friend_store.hpp"
#include "chat/notification_service.hpp"
#include "chat/result.hpp"
#include "chat/user.hpp"
#include "chat/user_store.hpp"
#include "chat/write_batch.hpp"

namespace chattwo::chat {

// Friends one user may have. KakaoTalk caps friend lists too; here it
// bounds GET /api/v1/friends, which has no paging (5000 Users are ~1 MiB
// of JSON).
inline constexpr std::size_t kMaxFriends = 5000;

/// What add_friend hands back: the friend's profile, and whether this call
/// added them (false: they already were a friend).
struct FriendAdded {
  User user;
  bool added = false;
};

/// Friends, one-way: a user adds, removes and lists their own friends only.
/// Adding someone notifies them (friend_added), once. All methods block
/// (storage): call from a worker.
class FriendService {
 public:
  FriendService(FriendStore& friends, UserStore& users, NotificationService& notifications, WriteBatch& batch,
                Clock& clock);

  /// Adds `friend_id` to the caller's friends. When this call added them,
  /// they get a friend_added notification, stored in the same transaction
  /// as the friendship and sent live after it commits; adding again changes
  /// nothing and notifies no one. Code::validation for oneself or a
  /// malformed id (field "userId"); Code::not_found for an unknown user;
  /// Code::conflict when the caller has kMaxFriends friends.
  Result<FriendAdded> add_friend(std::string_view caller_id, std::string_view friend_id);

  /// Removes `friend_id` from the caller's friends, if there. Code::validation
  /// for a malformed id (field "userId").
  Result<void> remove_friend(std::string_view caller_id, std::string_view friend_id);

  /// The caller's friends by name (then id). With `query` (not blank): only
  /// those whose name contains it, matched as a user search matches names.
  /// Code::validation (field "q") for an over-long or malformed query.
  Result<std::vector<User>> list_friends(std::string_view caller_id, const std::optional<std::string>& query);

 private:
  FriendStore& friends_;
  UserStore& users_;
  NotificationService& notifications_;
  WriteBatch& batch_;
  Clock& clock_;
};

}  // namespace chattwo::chat
