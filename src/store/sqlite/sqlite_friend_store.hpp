#pragma once
#include "chat/friend_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// FriendStore on the embedded SQLite database (table friends).
class SqliteFriendStore final : public chat::FriendStore {
 public:
  explicit SqliteFriendStore(Database& db) : db_(db) {}

  chat::Result<bool> add(std::string_view user_id, std::string_view friend_id, std::int64_t at_ms,
                         std::size_t max_friends) override;
  bool remove(std::string_view user_id, std::string_view friend_id) override;
  std::vector<chat::User> list(std::string_view user_id, std::string_view name_part, std::size_t limit) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
