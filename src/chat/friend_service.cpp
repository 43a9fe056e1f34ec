#include "chat/friend_service.hpp"

#include "base/utf8.hpp"
#include "chat/query_checks.hpp"

namespace chattwo::chat {

FriendService::FriendService(FriendStore& friends, UserStore& users, NotificationService& notifications,
                             WriteBatch& batch, Clock& clock)
    : friends_(friends), users_(users), notifications_(notifications), batch_(batch), clock_(clock) {}

Result<FriendAdded> FriendService::add_friend(std::string_view caller_id, std::string_view friend_id) {
  if (auto ok = check_id(friend_id, "userId"); !ok) return fail(ok.error());
  if (friend_id == caller_id) return fail(Error::validation("you can't add yourself as a friend", "userId"));
  auto user = users_.find_by_id(friend_id);
  if (!user) return fail(Error::not_found("no user with id " + std::string(friend_id)));

  // The friendship and its notification commit together: a crash between
  // the two can't leave a friend nobody was told about, nor a notice of a
  // friendship that never was.
  std::optional<Result<bool>> added;
  std::optional<Result<NotificationView>> notice;
  batch_.run([&] {
    added.emplace(friends_.add(caller_id, friend_id, clock_.now_ms(), kMaxFriends));
    const bool is_new = added->has_value() && added->value();
    if (is_new) {
      notice.emplace(notifications_.record(NotificationType::friend_added, caller_id, friend_id, std::nullopt));
    }
  });
  if (!added->has_value()) return fail(added->error());
  // Sent only once committed, and only when this call added the friend, so
  // a repeated PUT notifies no one. A notification that could not be
  // stored (the friend deleted meanwhile) does not undo the add.
  if (notice && notice->has_value()) notifications_.announce(notice->value());
  return FriendAdded{std::move(*user), added->value()};
}

Result<void> FriendService::remove_friend(std::string_view caller_id, std::string_view friend_id) {
  if (auto ok = check_id(friend_id, "userId"); !ok) return fail(ok.error());
  friends_.remove(caller_id, friend_id);
  return {};
}

Result<std::vector<User>> FriendService::list_friends(std::string_view caller_id,
                                                      const std::optional<std::string>& query) {
  std::string name_part;
  // A blank filter (q= or q=%20) is no filter: the whole list.
  if (query && !(base::is_valid_utf8(*query) && base::trim_unicode_space(*query).empty())) {
    auto normalized = normalize_search_text(*query);
    if (!normalized) return fail(normalized.error());
    name_part = std::move(*normalized);
  }
  return friends_.list(caller_id, name_part, kMaxFriends);
}

}  // namespace chattwo::chat
