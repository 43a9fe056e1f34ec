// The notification pages and counts must be ranges of an index, never a
// scan of the table or of all of a user's rows: checked on SQLite's own
// query plans, so an index dropped or a query changed fails here.
#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"

using namespace chattwo::store::sqlite;

namespace {

std::string plan_of(Database& db, std::string_view sql) {
  auto lease = db.acquire();
  Statement q = lease->prepare("EXPLAIN QUERY PLAN " + std::string(sql));
  std::string plan;
  while (q.step()) plan += q.text(3) + "\n";
  return plan;
}

}  // namespace

TEST(QueryPlans, NotificationPagesWalkTheUserTimeIndexWithoutSorting) {
  Database db(DatabaseSettings{":memory:"}, 0);
  for (auto sql : {SqliteNotificationStore::kNewestSql, SqliteNotificationStore::kOlderSql}) {
    const std::string plan = plan_of(db, sql);
    EXPECT_NE(plan.find("USING INDEX notifications_by_user_time (user_id=?"), std::string::npos) << sql << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "a sort means a scan of all rows: " << plan;
  }
  // The cursor bounds the range in the index, not a filter over it.
  const std::string older = plan_of(db, SqliteNotificationStore::kOlderSql);
  EXPECT_NE(older.find("(user_id=? AND "), std::string::npos) << older;
}

TEST(QueryPlans, UnreadCountsUseThePartialIndex) {
  Database db(DatabaseSettings{":memory:"}, 0);
  const std::string plan = plan_of(db, SqliteNotificationStore::kUnreadCountSql);
  EXPECT_NE(plan.find("notifications_unread"), std::string::npos) << plan;
}
