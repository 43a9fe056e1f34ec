#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/notification.hpp"
#include "chat/result.hpp"

namespace chattwo::chat {

/// Port: each user's notifications (SQLite by default, MySQL when scaled
/// out). Every method is scoped to one recipient: nothing here lets one
/// user read or change another's notifications. Pages follow the order
/// (created_at, id), newest first, and must come from an index on
/// (recipient, created_at, id), never from a scan of the recipient's rows.
/// Methods block: call them from a worker thread.
class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  /// Stores `notification` (its `read` is taken as false). Code::not_found
  /// when the recipient, the actor or the room does not exist;
  /// Code::conflict when the id is taken.
  virtual Result<void> insert(const Notification& notification) = 0;

  /// Up to `limit` (>= 1) of the recipient's notifications, newest first;
  /// with `before_id`, only those older than that one. has_more: whether
  /// older ones exist past this page. Page and unread count are one
  /// snapshot. nullopt when `before_id` names none of the recipient's
  /// notifications (another user's is the same as none).
  virtual std::optional<NotificationPage> page(std::string_view recipient_id,
                                               std::optional<std::string_view> before_id, std::size_t limit) = 0;

  /// Marks those of `ids` that are the recipient's and unread as read at
  /// `at_ms`; others' and unknown ids are skipped. Returns how many changed.
  virtual std::size_t mark_read(std::string_view recipient_id, const std::vector<std::string>& ids,
                                std::int64_t at_ms) = 0;

  /// Marks all of the recipient's unread notifications read. Returns how many changed.
  virtual std::size_t mark_all_read(std::string_view recipient_id, std::int64_t at_ms) = 0;
};

}  // namespace chattwo::chat
