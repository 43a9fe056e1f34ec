#pragma once
// Thin RAII over the SQLite C API: a prepared statement with typed binds and
// columns. Errors throw SqliteError (a broken database cannot continue);
// constraint violations are reported as values by the callers that expect them.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace chattwo::store::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  /// SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY: the row exists.
  bool is_unique_violation() const {
    return code_ == SQLITE_CONSTRAINT_UNIQUE || code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
  }

 private:
  int code_;
};

/// A prepared statement: either owned (prepared for one use, finalized at
/// the end) or borrowed from a connection's cache (reset and unbound at the
/// end, ready for the next use).
class Statement {
 public:
  /// Prepares `sql` for one use.
  Statement(sqlite3* db, std::string_view sql);
  /// Borrows a cached statement; clears `*in_use` when done with it.
  Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use) : db_(db), stmt_(cached), owned_(false), in_use_(in_use) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in SQL's ?1, ?2 ...
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::string>& text);  // NULL when absent
  Statement& bind_null(int index);

  /// Advances to the next row: true while there is one. Throws on error.
  bool step();
  /// Runs a statement that returns no rows. Throws on error.
  void run();
  /// Rows changed by the last run().
  int changes() const;

  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_ = true;
  bool* in_use_ = nullptr;
};

/// Runs `sql` (possibly several statements). Throws SqliteError.
void exec(sqlite3* db, std::string_view sql);

}  // namespace chattwo::store::sqlite
