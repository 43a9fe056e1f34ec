#pragma once
#include <string_view>

#include "chat/notification_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// NotificationStore on the embedded SQLite database (table notifications).
class SqliteNotificationStore final : public chat::NotificationStore {
 public:
  explicit SqliteNotificationStore(Database& db) : db_(db) {}

  chat::Result<void> insert(const chat::Notification& notification) override;
  std::optional<chat::NotificationPage> page(std::string_view recipient_id, std::optional<std::string_view> before_id,
                                             std::size_t limit) override;
  std::size_t mark_read(std::string_view recipient_id, const std::vector<std::string>& ids,
                        std::int64_t at_ms) override;
  std::size_t mark_all_read(std::string_view recipient_id, std::int64_t at_ms) override;

  // The reading queries, public so that a test can check with EXPLAIN
  // QUERY PLAN that each is a range of an index, not a scan.
  // ?1 recipient, ?2 limit (+1, to learn has_more).
  static constexpr std::string_view kNewestSql =
      "SELECT id, type, actor_id, room_id, created_at, read_at IS NOT NULL FROM notifications"
      " WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2";
  // ?1 recipient, ?2 limit (+1), ?3/?4 the created_at and id of `before`.
  static constexpr std::string_view kOlderSql =
      "SELECT id, type, actor_id, room_id, created_at, read_at IS NOT NULL FROM notifications"
      " WHERE user_id = ?1 AND (created_at, id) < (?3, ?4) ORDER BY created_at DESC, id DESC LIMIT ?2";
  // ?1 recipient.
  static constexpr std::string_view kUnreadCountSql =
      "SELECT count(*) FROM notifications WHERE user_id = ?1 AND read_at IS NULL";

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
