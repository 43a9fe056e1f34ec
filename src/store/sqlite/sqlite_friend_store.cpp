#include "store/sqlite/sqlite_friend_store.hpp"

#include <optional>
#include <string>

#include "store/sqlite/image_rows.hpp"
#include "store/sqlite/like_pattern.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/user_rows.hpp"

namespace chattwo::store::sqlite {

chat::Result<bool> SqliteFriendStore::add(std::string_view user_id, std::string_view friend_id, std::int64_t at_ms,
                                          std::size_t max_friends) {
  std::optional<bool> added;
  try {
    db_.write([&](Connection& conn) {
      Statement exists = conn.prepare("SELECT 1 FROM friends WHERE user_id = ?1 AND friend_id = ?2");
      exists.bind(1, user_id).bind(2, friend_id);
      if (exists.step()) {
        added = false;
        return;
      }
      // Counted under the write lock the insert holds: two adds at once
      // can't both see room for one more.
      Statement count = conn.prepare("SELECT count(*) FROM friends WHERE user_id = ?1");
      count.bind(1, user_id);
      count.step();
      if (count.integer(0) >= static_cast<std::int64_t>(max_friends)) return;  // full: added stays empty
      Statement insert = conn.prepare("INSERT INTO friends (user_id, friend_id, created_at) VALUES (?1, ?2, ?3)");
      insert.bind(1, user_id).bind(2, friend_id).bind(3, at_ms).run();
      added = true;
    });
  } catch (const SqliteError& e) {
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) return chat::fail(chat::Error::not_found("no user with this id"));
    if (e.code() == SQLITE_CONSTRAINT_CHECK) {
      return chat::fail(chat::Error::validation("a user can't be their own friend", "userId"));
    }
    throw;
  }
  if (!added) {
    return chat::fail(chat::Error::conflict("you have " + std::to_string(max_friends) +
                                            " friends, the most one may have; remove one first"));
  }
  return *added;
}

bool SqliteFriendStore::remove(std::string_view user_id, std::string_view friend_id) {
  int changed = 0;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("DELETE FROM friends WHERE user_id = ?1 AND friend_id = ?2");
    q.bind(1, user_id).bind(2, friend_id).run();
    changed = q.changes();
  });
  return changed > 0;
}

std::vector<chat::User> SqliteFriendStore::list(std::string_view user_id, std::string_view name_part,
                                                std::size_t limit) {
  // A range of the primary key on user_id, joined to users by theirs, then
  // sorted: at most max_friends rows. like_contains("") is "%%", which
  // every name matches.
  std::vector<chat::User> friends;
  if (limit == 0) return friends;
  auto lease = db_.acquire();
  Statement q = lease->prepare(
      "SELECT u.id, u.email, u.name, u.status_message, u.avatar_image_id, u.created_at"  // read_user's order
      " FROM friends f JOIN users u ON u.id = f.friend_id"
      " WHERE f.user_id = ?1 AND u.name LIKE ?2 ESCAPE '\\'"
      " ORDER BY u.name COLLATE NOCASE, u.id LIMIT ?3");
  q.bind(1, user_id).bind(2, like_contains(name_part)).bind(3, static_cast<std::int64_t>(limit));
  while (q.step()) friends.push_back(read_user(q));
  std::vector<chat::User*> shown;
  for (auto& u : friends) shown.push_back(&u);
  attach_avatars(*lease, shown);
  return friends;
}

}  // namespace chattwo::store::sqlite
