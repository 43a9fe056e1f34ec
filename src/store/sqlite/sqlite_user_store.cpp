#include "store/sqlite/sqlite_user_store.hpp"

#include "store/sqlite/image_rows.hpp"
#include "store/sqlite/like_pattern.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/user_rows.hpp"

namespace chattwo::store::sqlite {
namespace {

std::vector<chat::User*> pointers_to(std::vector<chat::User>& users) {
  std::vector<chat::User*> out;
  out.reserve(users.size());
  for (auto& u : users) out.push_back(&u);
  return out;
}

}  // namespace

chat::Result<void> SqliteUserStore::insert(const chat::User& user, std::string_view password_hash) {
  try {
    db_.write([&](Connection& conn) {
      Statement q = conn.prepare(
                  "INSERT INTO users (id, email, name, status_message, avatar_image_id, created_at, password_hash)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      q.bind(1, user.id).bind(2, user.email).bind(3, user.name).bind(4, user.status_message);
      q.bind(5, user.avatar_image_id).bind(6, user.created_at_ms).bind(7, password_hash);
      q.run();
    });
  } catch (const SqliteError& e) {
    if (e.is_unique_violation()) return chat::fail(chat::Error::conflict("the email is taken"));
    throw;
  }
  return {};
}

std::optional<chat::User> SqliteUserStore::find_by_id(std::string_view id) {
  auto lease = db_.acquire();
  Statement q = lease->prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  chat::User user = read_user(q);
  attach_avatars(*lease, {&user});
  return user;
}

std::vector<chat::User> SqliteUserStore::find_by_ids(const std::vector<std::string>& ids) {
  std::vector<chat::User> out;
  if (ids.empty()) return out;
  // The ids travel as one JSON array: one prepared statement whatever their
  // number (no IN list built per call). Ids are opaque ASCII without quotes
  // or backslashes in practice, but escape them anyway.
  std::string array = "[";
  for (const auto& id : ids) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (char c : id) {
      if (c == '"' || c == '\\') array += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) array += c;
    }
    array += '"';
  }
  array += ']';
  auto lease = db_.acquire();
  Statement q = lease->prepare("SELECT " + std::string(kUserColumns) +
                               " FROM users WHERE id IN (SELECT value FROM json_each(?1))");
  q.bind(1, array);
  while (q.step()) out.push_back(read_user(q));
  attach_avatars(*lease, pointers_to(out));
  return out;
}

std::optional<chat::Credentials> SqliteUserStore::find_credentials_by_email(std::string_view email) {
  auto lease = db_.acquire();
  Statement q = lease->prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE email = ?1");
  q.bind(1, email);
  if (!q.step()) return std::nullopt;
  chat::Credentials credentials{read_user(q), q.text(6)};
  attach_avatars(*lease, {&credentials.user});
  return credentials;
}

std::optional<chat::User> SqliteUserStore::update_profile(std::string_view id,
                                                          const chat::ProfilePatch& patch) {
  std::optional<chat::User> result;
  db_.write([&](Connection& conn) {
    // COALESCE keeps a column when its parameter is NULL (field absent);
    // ?5 says whether the avatar changes, since NULL is also a valid avatar.
    Statement q = conn.prepare(
                "UPDATE users SET name = COALESCE(?2, name),"
                " status_message = COALESCE(?3, status_message),"
                " avatar_image_id = CASE WHEN ?5 THEN ?4 ELSE avatar_image_id END"
                " WHERE id = ?1 RETURNING " + std::string(kUserColumns));
    q.bind(1, id).bind(2, patch.name).bind(3, patch.status_message);
    q.bind(4, patch.avatar_image_id ? *patch.avatar_image_id : std::nullopt);
    q.bind(5, std::int64_t{patch.avatar_image_id.has_value()});
    if (q.step()) result = read_user(q);
    q.run();
    if (result) attach_avatars(conn, {&*result});
  });
  return result;
}

std::vector<chat::User> SqliteUserStore::search(const chat::UserQuery& query) {
  // The exact email match first: whoever typed a whole address means that
  // person. `email = ?3` is NULL when ?3 is, so without an email the order
  // is by name alone.
  static const std::string sql = "SELECT " + std::string(kUserColumns) +
                                 " FROM users WHERE id <> ?1 AND (name LIKE ?2 ESCAPE '\\' OR email = ?3)"
                                 " ORDER BY (email = ?3) DESC, name COLLATE NOCASE, id LIMIT ?4";
  std::vector<chat::User> found;
  if (query.limit == 0) return found;
  auto lease = db_.acquire();
  Statement q = lease->prepare(sql);
  q.bind(1, query.exclude_id).bind(2, like_contains(query.name_part)).bind(3, query.email);
  q.bind(4, static_cast<std::int64_t>(query.limit));
  while (q.step()) found.push_back(read_user(q));
  attach_avatars(*lease, pointers_to(found));
  return found;
}

}  // namespace chattwo::store::sqlite
