#pragma once
#include "chat/user_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// UserStore on the embedded SQLite database.
class SqliteUserStore final : public chat::UserStore {
 public:
  explicit SqliteUserStore(Database& db) : db_(db) {}

  chat::Result<void> insert(const chat::User& user, std::string_view password_hash) override;
  std::optional<chat::User> find_by_id(std::string_view id) override;
  std::vector<chat::User> find_by_ids(const std::vector<std::string>& ids) override;
  std::optional<chat::Credentials> find_credentials_by_email(std::string_view email) override;
  std::optional<chat::User> update_profile(std::string_view id, const chat::ProfilePatch& patch) override;
  /// A scan of every user (LIKE on the name can't use an index). Fine for
  /// an embedded install; see UserStore::search for the index to come.
  std::vector<chat::User> search(const chat::UserQuery& query) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
