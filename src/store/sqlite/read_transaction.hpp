#pragma once
// A read transaction on one connection: the statements run inside it see
// one snapshot of the database (WAL), so several queries that make up one
// answer (a page and its read marks, a room list) agree with each other.
#include "store/sqlite/database.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) { conn_.prepare("BEGIN").run(); }
  ~ReadTransaction() {
    try {
      conn_.prepare("COMMIT").run();
    } catch (...) {  // a read has nothing to lose; never throw from a destructor
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& conn_;
};

}  // namespace chattwo::store::sqlite
