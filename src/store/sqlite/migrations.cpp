#include "store/sqlite/migrations.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

int schema_version(sqlite3* db) {
  exec(db,
       "CREATE TABLE IF NOT EXISTS schema_migrations ("
       " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
  Statement q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  q.step();
  return static_cast<int>(q.integer(0));
}

int migrate(sqlite3* db, std::span<const Migration> migrations, std::int64_t now_ms) {
  const int current = schema_version(db);
  int newest_known = 0;
  for (const auto& m : migrations) {
    if (m.version <= newest_known) throw std::logic_error("migrations must have increasing versions");
    newest_known = m.version;
  }
  if (current > newest_known) {
    // An older binary must not write to a schema it does not know.
    throw std::runtime_error("the database is at schema version " + std::to_string(current) +
                             ", newer than this binary knows (" + std::to_string(newest_known) +
                             "); run a newer chattwo");
  }
  int applied = 0;
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    exec(db, "BEGIN IMMEDIATE");
    try {
      // Another process may have applied it since we looked: check again
      // now that we hold the write lock.
      if (schema_version(db) >= m.version) {
        exec(db, "COMMIT");
        continue;
      }
      exec(db, m.sql);
      Statement record(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      record.bind(1, std::int64_t{m.version}).bind(2, m.name).bind(3, now_ms).run();
      exec(db, "COMMIT");
    } catch (...) {
      exec(db, "ROLLBACK");
      throw;
    }
    ++applied;
  }
  return applied;
}

}  // namespace chattwo::store::sqlite
