#include "store/sqlite/database.hpp"

#include <gtest/gtest.h>

using namespace chattwo::store::sqlite;

TEST(Database, CachedStatementsAreReusedAndNeverShared) {
  Database db(DatabaseSettings{":memory:"}, 0);
  auto lease = db.acquire();
  const std::string sql = "SELECT value FROM json_each('[1,2,3]') ORDER BY value";
  {
    Statement outer = lease->prepare(sql);
    ASSERT_TRUE(outer.step());
    EXPECT_EQ(outer.integer(0), 1);
    // The same SQL while `outer` is mid-iteration gets its own statement.
    Statement inner = lease->prepare(sql);
    ASSERT_TRUE(inner.step());
    EXPECT_EQ(inner.integer(0), 1);
    ASSERT_TRUE(outer.step());
    EXPECT_EQ(outer.integer(0), 2);  // not reset by `inner`
  }
  Statement again = lease->prepare(sql);  // the cached one, reset and ready
  ASSERT_TRUE(again.step());
  EXPECT_EQ(again.integer(0), 1);
}

TEST(Database, FailedWriteRollsBack) {
  Database db(DatabaseSettings{":memory:"}, 0);
  EXPECT_THROW(db.write([](Connection& c) {
                 c.prepare("INSERT INTO users (id, name, created_at) VALUES ('u1', 'A', 0)").run();
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  auto lease = db.acquire();
  Statement q = lease->prepare("SELECT COUNT(*) FROM users");
  q.step();
  EXPECT_EQ(q.integer(0), 0);
}

TEST(Database, PingAnswers) {
  Database db(DatabaseSettings{":memory:"}, 0);
  EXPECT_TRUE(db.ping());
}
