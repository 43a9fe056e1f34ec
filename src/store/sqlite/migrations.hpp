#pragma once
// Versioned schema migrations, applied in order at start. Each runs in its
// own transaction together with its row in schema_migrations, so a crash
// leaves the schema at a known version.
#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace chattwo::store::sqlite {

struct Migration {
  int version;  // 1, 2, ...: from the file name NNNN_name.sql
  std::string_view name;
  std::string_view sql;
};

/// The migrations compiled into this binary (migrations/*.sql).
std::span<const Migration> built_in_migrations();

/// The highest applied version (0 for a new database).
int schema_version(sqlite3* db);

/// Applies the migrations above the database's version, in order; returns
/// how many ran. Throws SqliteError on failure (that migration is rolled
/// back) and std::runtime_error when the database is newer than this binary.
int migrate(sqlite3* db, std::span<const Migration> migrations, std::int64_t now_ms);

}  // namespace chattwo::store::sqlite
