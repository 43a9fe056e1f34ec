#include "store/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include "store/sqlite/database.hpp"
#include "store/sqlite/statement.hpp"

using namespace chattwo::store::sqlite;

namespace {

struct MemoryDb {
  sqlite3* db = nullptr;
  MemoryDb() { sqlite3_open(":memory:", &db); }
  ~MemoryDb() { sqlite3_close(db); }
};

bool table_exists(sqlite3* db, const char* name) {
  Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  q.bind(1, std::string_view(name));
  return q.step();
}

}  // namespace

TEST(Migrations, AppliesInOrderOnceAndRecordsVersions) {
  MemoryDb m;
  const Migration list[] = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                            {2, "b", "CREATE TABLE b (y INTEGER REFERENCES a)"}};
  EXPECT_EQ(schema_version(m.db), 0);
  EXPECT_EQ(migrate(m.db, list, 1000), 2);
  EXPECT_EQ(schema_version(m.db), 2);
  EXPECT_TRUE(table_exists(m.db, "b"));
  EXPECT_EQ(migrate(m.db, list, 2000), 0);  // idempotent
}

TEST(Migrations, FailedMigrationRollsBackAndKeepsVersion) {
  MemoryDb m;
  const Migration good[] = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  migrate(m.db, good, 0);
  const Migration bad[] = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                           {2, "half", "CREATE TABLE c (z INTEGER); THIS IS NOT SQL"}};
  EXPECT_THROW(migrate(m.db, bad, 0), SqliteError);
  EXPECT_EQ(schema_version(m.db), 1);
  EXPECT_FALSE(table_exists(m.db, "c"));  // the half-applied part is gone too
}

TEST(Migrations, RefusesADatabaseNewerThanTheBinary) {
  MemoryDb m;
  const Migration two[] = {{1, "a", "CREATE TABLE a (x)"}, {2, "b", "CREATE TABLE b (y)"}};
  migrate(m.db, two, 0);
  const Migration one[] = {{1, "a", "CREATE TABLE a (x)"}};
  EXPECT_THROW(migrate(m.db, one, 0), std::runtime_error);
}

TEST(Migrations, BuiltInSchemaAppliesToAFreshDatabase) {
  Database db(DatabaseSettings{":memory:"}, 0);
  auto lease = db.acquire();
  EXPECT_EQ(schema_version(lease.get()), static_cast<int>(built_in_migrations().back().version));
  EXPECT_TRUE(table_exists(lease.get(), "users"));
  EXPECT_TRUE(table_exists(lease.get(), "sessions"));
}

TEST(Migrations, BuiltInVersionsIncreaseFromOne) {
  int expected = 1;
  for (const auto& m : built_in_migrations()) EXPECT_EQ(m.version, expected++) << m.name;
}
