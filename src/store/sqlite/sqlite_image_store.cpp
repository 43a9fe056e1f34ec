#include "store/sqlite/sqlite_image_store.hpp"

#include <string>

#include "store/sqlite/image_rows.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

chat::Result<void> SqliteImageStore::insert(const chat::Image& image) {
  try {
    db_.write([&](Connection& conn) {
      Statement q = conn.prepare(
          "INSERT INTO images (id, uploader_id, content_type, width, height, bytes, thumbnail_content_type,"
          " thumbnail_width, thumbnail_height, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      q.bind(1, image.id).bind(2, image.uploader_id).bind(3, image.content_type);
      q.bind(4, static_cast<std::int64_t>(image.width)).bind(5, static_cast<std::int64_t>(image.height));
      q.bind(6, image.bytes).bind(7, image.thumbnail_content_type);
      q.bind(8, static_cast<std::int64_t>(image.thumbnail_width)).bind(9, static_cast<std::int64_t>(image.thumbnail_height));
      q.bind(10, image.created_at_ms).run();
    });
  } catch (const SqliteError& e) {
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) return chat::fail(chat::Error::not_found("no user with this id"));
    if (e.code() == SQLITE_CONSTRAINT_PRIMARYKEY || e.code() == SQLITE_CONSTRAINT_UNIQUE) {
      return chat::fail(chat::Error::conflict("an image with this id exists"));
    }
    throw;
  }
  return {};
}

std::optional<chat::Image> SqliteImageStore::find(std::string_view image_id) {
  auto lease = db_.acquire();
  static const std::string kFind = "SELECT " + std::string(kImageColumns) + " FROM images i WHERE i.id = ?1";
  Statement q = lease->prepare(kFind);
  q.bind(1, image_id);
  if (!q.step()) return std::nullopt;
  return read_image(q);
}

// Three ways to be allowed, each an index lookup: the uploader; a message
// carrying it in one of the viewer's rooms (messages_by_image, then the
// membership's primary key); an avatar (users_by_avatar).
bool SqliteImageStore::can_view(std::string_view image_id, std::string_view viewer_id) {
  auto lease = db_.acquire();
  Statement q = lease->prepare(
      "SELECT 1 FROM images WHERE id = ?1 AND ("
      " uploader_id = ?2"
      " OR EXISTS (SELECT 1 FROM messages m JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = ?2"
      "            WHERE m.image_id = ?1)"
      " OR EXISTS (SELECT 1 FROM users u WHERE u.avatar_image_id = ?1))");
  q.bind(1, image_id).bind(2, viewer_id);
  return q.step();
}

std::vector<chat::Image> SqliteImageStore::unused(std::int64_t uploaded_before_ms, std::size_t limit) {
  auto lease = db_.acquire();
  static const std::string kUnused =
      "SELECT " + std::string(kImageColumns) +
      " FROM images i WHERE i.created_at < ?1"
      " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.image_id = i.id)"
      " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_image_id = i.id)"
      " ORDER BY i.created_at, i.id LIMIT ?2";
  Statement q = lease->prepare(kUnused);
  q.bind(1, uploaded_before_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<chat::Image> out;
  while (q.step()) out.push_back(read_image(q));
  return out;
}

bool SqliteImageStore::remove(std::string_view image_id) {
  bool removed = false;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("DELETE FROM images WHERE id = ?1");
    q.bind(1, image_id).run();
    removed = sqlite3_changes(conn.get()) > 0;
  });
  return removed;
}

}  // namespace chattwo::store::sqlite
