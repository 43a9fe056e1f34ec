#include "store/sqlite/sqlite_notification_store.hpp"

#include <string>

#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {
namespace {

chat::Notification read_notification(const Statement& row, std::string_view recipient_id) {
  chat::Notification n;
  n.id = row.text(0);
  n.recipient_id = std::string(recipient_id);
  n.type = row.text(1) == chat::to_string(chat::NotificationType::room_invited) ? chat::NotificationType::room_invited
                                                                               : chat::NotificationType::friend_added;
  n.actor_id = row.text(2);
  n.room_id = row.optional_text(3);
  n.created_at_ms = row.integer(4);
  n.read = row.integer(5) != 0;
  return n;
}

// The page, its has_more and the unread count from one read transaction, so
// they agree with each other however many writers are busy. Inside a
// batch (the connection already in a transaction) that one serves.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn), own_(sqlite3_get_autocommit(conn.get()) != 0) {
    if (own_) conn_.prepare("BEGIN").run();
  }
  ~ReadTransaction() {
    if (!own_) return;
    try {
      conn_.prepare("COMMIT").run();  // a read-only transaction: ends it, writes nothing
    } catch (const SqliteError&) {
      // Nothing was written, so there is nothing to lose; the connection
      // must not stay inside the transaction, though.
      if (!sqlite3_get_autocommit(conn_.get())) sqlite3_exec(conn_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& conn_;
  const bool own_;
};

}  // namespace

chat::Result<void> SqliteNotificationStore::insert(const chat::Notification& n) {
  try {
    db_.write([&](Connection& conn) {
      Statement q = conn.prepare(
          "INSERT INTO notifications (id, user_id, type, actor_id, room_id, created_at, read_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)");
      q.bind(1, n.id).bind(2, n.recipient_id).bind(3, chat::to_string(n.type)).bind(4, n.actor_id);
      q.bind(5, n.room_id).bind(6, n.created_at_ms).run();
    });
  } catch (const SqliteError& e) {
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return chat::fail(chat::Error::not_found("no such user or room to notify about"));
    }
    if (e.is_unique_violation()) return chat::fail(chat::Error::conflict("a notification with this id exists"));
    throw;
  }
  return {};
}

std::optional<chat::NotificationPage> SqliteNotificationStore::page(std::string_view recipient_id,
                                                                    std::optional<std::string_view> before_id,
                                                                    std::size_t limit) {
  auto lease = db_.acquire();
  ReadTransaction snapshot(*lease);
  chat::NotificationPage page;
  // One row more than asked for says whether there are older ones.
  const auto fetch = static_cast<std::int64_t>(limit) + 1;
  std::int64_t before_at = 0;
  if (before_id) {
    // Scoped to the recipient: someone else's id is no cursor.
    Statement cursor = lease->prepare("SELECT created_at FROM notifications WHERE id = ?1 AND user_id = ?2");
    cursor.bind(1, *before_id).bind(2, recipient_id);
    if (!cursor.step()) return std::nullopt;
    before_at = cursor.integer(0);
  }
  {
    Statement rows = lease->prepare(before_id ? kOlderSql : kNewestSql);
    rows.bind(1, recipient_id).bind(2, fetch);
    if (before_id) rows.bind(3, before_at).bind(4, *before_id);
    while (rows.step()) page.notifications.push_back(read_notification(rows, recipient_id));
  }
  if (page.notifications.size() > limit) {
    page.notifications.pop_back();
    page.has_more = true;
  }

  Statement unread = lease->prepare(kUnreadCountSql);
  unread.bind(1, recipient_id);
  unread.step();
  page.unread_count = unread.integer(0);
  return page;
}

std::size_t SqliteNotificationStore::mark_read(std::string_view recipient_id, const std::vector<std::string>& ids,
                                               std::int64_t at_ms) {
  std::size_t changed = 0;
  db_.write([&](Connection& conn) {
    for (const auto& id : ids) {
      // A primary-key lookup each; user_id keeps it to the recipient's own.
      Statement q = conn.prepare(
          "UPDATE notifications SET read_at = ?3 WHERE id = ?1 AND user_id = ?2 AND read_at IS NULL");
      q.bind(1, id).bind(2, recipient_id).bind(3, at_ms).run();
      changed += static_cast<std::size_t>(q.changes());
    }
  });
  return changed;
}

std::size_t SqliteNotificationStore::mark_all_read(std::string_view recipient_id, std::int64_t at_ms) {
  std::size_t changed = 0;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL");
    q.bind(1, recipient_id).bind(2, at_ms).run();
    changed = static_cast<std::size_t>(q.changes());
  });
  return changed;
}

}  // namespace chattwo::store::sqlite
