#include "store/sqlite/sqlite_session_store.hpp"

#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

chat::Result<void> SqliteSessionStore::insert(const chat::Session& s) {
  try {
    db_.write([&](Connection& conn) {
      Statement q = conn.prepare(
                  "INSERT INTO sessions (token_digest, id, user_id, kind, csrf_token, created_at, expires_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      q.bind(1, s.token_digest).bind(2, s.id).bind(3, s.user_id);
      q.bind(4, s.kind == chat::SessionKind::cookie ? "cookie" : "bearer");
      q.bind(5, s.csrf_token).bind(6, s.created_at_ms).bind(7, s.expires_at_ms);
      q.run();
    });
  } catch (const SqliteError& e) {
    if (e.is_unique_violation()) return chat::fail(chat::Error::conflict("session exists"));
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return chat::fail(chat::Error::not_found("no user with this id"));
    }
    throw;
  }
  return {};
}

std::optional<chat::Session> SqliteSessionStore::find(std::string_view token_digest,
                                                      std::int64_t now_ms) {
  auto lease = db_.acquire();
  Statement q = lease->prepare(
              "SELECT id, user_id, kind, csrf_token, created_at, expires_at FROM sessions"
              " WHERE token_digest = ?1 AND expires_at > ?2");
  q.bind(1, token_digest).bind(2, now_ms);
  if (!q.step()) return std::nullopt;
  chat::Session s;
  s.token_digest = std::string(token_digest);
  s.id = q.text(0);
  s.user_id = q.text(1);
  s.kind = q.text(2) == "bearer" ? chat::SessionKind::bearer : chat::SessionKind::cookie;
  s.csrf_token = q.text(3);
  s.created_at_ms = q.integer(4);
  s.expires_at_ms = q.integer(5);
  return s;
}

void SqliteSessionStore::revoke(std::string_view token_digest) {
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("DELETE FROM sessions WHERE token_digest = ?1");
    q.bind(1, token_digest).run();
  });
}

std::size_t SqliteSessionStore::purge_expired(std::int64_t now_ms) {
  std::size_t removed = 0;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("DELETE FROM sessions WHERE expires_at <= ?1");
    q.bind(1, now_ms).run();
    removed = static_cast<std::size_t>(q.changes());
  });
  return removed;
}

}  // namespace chattwo::store::sqlite
