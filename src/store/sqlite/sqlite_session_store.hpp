#pragma once
#include "chat/session_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// SessionStore on the embedded SQLite database. One node only, so a
/// revocation is seen by every later find() at once.
class SqliteSessionStore final : public chat::SessionStore {
 public:
  explicit SqliteSessionStore(Database& db) : db_(db) {}

  chat::Result<void> insert(const chat::Session& session) override;
  std::optional<chat::Session> find(std::string_view token_digest, std::int64_t now_ms) override;
  void revoke(std::string_view token_digest) override;
  std::size_t purge_expired(std::int64_t now_ms) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
