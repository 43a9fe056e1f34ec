#pragma once
#include "chat/write_batch.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// WriteBatch on the SQLite database: one transaction for the batch.
class SqliteWriteBatch final : public chat::WriteBatch {
 public:
  explicit SqliteWriteBatch(Database& db) : db_(db) {}
  void run(const std::function<void()>& fn) override { db_.batch(fn); }

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
