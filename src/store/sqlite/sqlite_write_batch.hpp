#pragma once
#include "chat/write_batch.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// WriteBatch on the SQLite database: one transaction for the batch.
class SqliteWriteBatch final : public chat::WriteBatch {
 public:
  explicit SqliteWriteBatch(Database& db) : db_(db) {}
  using chat::WriteBatch::run;
  void run(const std::function<void()>& fn, const std::function<void()>& after_commit) override {
    db_.batch(fn, after_commit);
  }

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
