#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/clock.hpp"
#include "chat/notification.hpp"
#include "chat/notification_sink.hpp"
#include "chat/notification_store.hpp"
#include "chat/result.hpp"
#include "chat/user_store.hpp"

namespace chattwo::chat {

inline constexpr std::size_t kDefaultNotificationPage = 30;  // API.md
inline constexpr std::size_t kMaxNotificationPage = 100;     // a larger limit reads as 100
// Ids one mark-read may name: ten full pages. A client marks what it has
// shown; more at once is {"all": true}'s job. Bounds one request's work.
inline constexpr std::size_t kMaxNotificationIdsPerRead = 1000;

/// Notifications: made when something happens to a user because of
/// another (added as a friend, invited to a room), stored, and sent live to
/// the recipient; then listed and marked read by the recipient only. All
/// methods block (storage): call from a worker.
class NotificationService {
 public:
  NotificationService(NotificationStore& store, UserStore& users, NotificationSink& sink, Clock& clock,
                      IdGenerator& ids);

  /// `actor_id` added `recipient_id` as a friend: stores a friend_added
  /// notification for the recipient and sends it live. Code::validation
  /// when the two are the same user; Code::not_found when either does not
  /// exist.
  Result<Notification> friend_added(std::string_view actor_id, std::string_view recipient_id);

  /// `actor_id` invited `recipient_id` to room `room_id`: stores a
  /// room_invited notification for the recipient and sends it live. Call
  /// it once the invitation itself is stored, outside any WriteBatch (the
  /// event goes out when this returns; inside a batch, use record() and
  /// announce()). Code::validation when the two are the same user;
  /// Code::not_found when either user or the room does not exist.
  Result<Notification> room_invited(std::string_view actor_id, std::string_view recipient_id,
                                    std::string_view room_id);

  /// The two halves of the calls above, for a service that stores the
  /// notification in the same WriteBatch as the change it reports: record()
  /// inside the batch (nothing is sent), announce() after the commit.
  Result<NotificationView> record(NotificationType type, std::string_view actor_id, std::string_view recipient_id,
                                  std::optional<std::string> room_id);
  void announce(const NotificationView& view);

  /// The caller's notifications, newest first: `limit` (1-100; more reads
  /// as 100) of them, older than notification `before` when given, with
  /// whether older ones exist and how many of all theirs are unread.
  /// Code::validation when `before` is not one of the caller's
  /// notifications (field "before") or limit is 0 (field "limit").
  Result<NotificationFeed> list(std::string_view caller_id, const std::optional<std::string>& before,
                                std::size_t limit);

  /// Marks those of `ids` that are the caller's notifications read; others
  /// (unknown, someone else's, already read) are ignored. Code::validation
  /// (field "ids") for more than 1000 ids or one that can't be an id.
  Result<void> mark_read(std::string_view caller_id, const std::vector<std::string>& ids);

  /// Marks all of the caller's notifications read.
  void mark_all_read(std::string_view caller_id);

 private:
  NotificationStore& store_;
  UserStore& users_;
  NotificationSink& sink_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace chattwo::chat
