#include "chat/friend_service.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "chat/query_checks.hpp"
#include "chat/test_fakes.hpp"
#include "chat/test_notification_sink.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_friend_store.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"
#include "store/sqlite/sqlite_write_batch.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

struct Friends : ::testing::Test {
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  chat::testing::RecordingSink sink;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteFriendStore friend_store{db};
  store::sqlite::SqliteNotificationStore notification_store{db};
  store::sqlite::SqliteWriteBatch batch{db};
  NotificationService notifications{notification_store, users, sink, clock_, ids_};
  FriendService friends{friend_store, users, notifications, batch, clock_};

  void SetUp() override {
    add_user("ann", "Ann");
    add_user("ben", "벤");
    add_user("cho", "Cho 🐱");
    add_user("dan", "dan");
  }

  void add_user(const std::string& id, const std::string& name) {
    User u;
    u.id = id;
    u.email = id + "@example.test";
    u.name = name;
    u.created_at_ms = clock_.now_ms();
    ASSERT_TRUE(users.insert(u, ""));
  }

  std::vector<std::string> friend_ids(const std::string& of, std::optional<std::string> q = std::nullopt) {
    auto list = friends.list_friends(of, q);
    EXPECT_TRUE(list) << list.error().detail;
    std::vector<std::string> out;
    if (list) {
      for (const auto& u : *list) out.push_back(u.id);
    }
    return out;
  }

  std::int64_t unread(const std::string& of) { return notifications.list(of, std::nullopt, 30)->unread_count; }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_F(Friends, AddingNotifiesTheFriendOnceAndRepeatingChangesNothing) {
  auto added = friends.add_friend("ann", "ben");
  ASSERT_TRUE(added) << added.error().detail;
  EXPECT_TRUE(added->added);
  EXPECT_EQ(added->user.id, "ben");
  EXPECT_EQ(added->user.name, "벤");
  ASSERT_EQ(sink.sent().size(), 1u);
  EXPECT_EQ(sink.sent()[0].notification.recipient_id, "ben");
  EXPECT_EQ(sink.sent()[0].notification.type, NotificationType::friend_added);
  EXPECT_EQ(sink.sent()[0].actor.id, "ann");
  EXPECT_EQ(unread("ben"), 1);

  auto again = friends.add_friend("ann", "ben");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->added);
  EXPECT_EQ(again->user.id, "ben");
  EXPECT_EQ(sink.sent().size(), 1u);  // no second notice
  EXPECT_EQ(unread("ben"), 1);
  EXPECT_EQ(unread("ann"), 0);  // the one who adds is told nothing
}

TEST_F(Friends, OneWay) {
  ASSERT_TRUE(friends.add_friend("ann", "ben"));
  EXPECT_EQ(friend_ids("ann"), Ids{"ben"});
  EXPECT_EQ(friend_ids("ben"), Ids{});
}

TEST_F(Friends, OneselfUnknownAndMalformedIdsAreRefused) {
  auto self = friends.add_friend("ann", "ann");
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, Code::validation);
  EXPECT_EQ(self.error().field, "userId");
  auto ghost = friends.add_friend("ann", "ghost");
  ASSERT_FALSE(ghost);
  EXPECT_EQ(ghost.error().code, Code::not_found);
  auto malformed = friends.add_friend("ann", std::string(65, 'x'));
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, Code::validation);
  EXPECT_EQ(friends.remove_friend("ann", "").error().code, Code::validation);
  EXPECT_TRUE(sink.sent().empty());
  EXPECT_EQ(friend_ids("ann"), Ids{});
}

TEST_F(Friends, ListedByNameAndFilteredLikeASearch) {
  for (const char* id : {"dan", "cho", "ben"}) ASSERT_TRUE(friends.add_friend("ann", id));
  EXPECT_EQ(friend_ids("ann"), (Ids{"cho", "dan", "ben"}));  // "Cho 🐱" < "dan" < "벤"
  EXPECT_EQ(friend_ids("ann", "CHO"), Ids{"cho"});
  EXPECT_EQ(friend_ids("ann", "🐱"), Ids{"cho"});
  EXPECT_EQ(friend_ids("ann", " 벤 "), Ids{"ben"});
  EXPECT_EQ(friend_ids("ann", "%"), Ids{});
  EXPECT_EQ(friend_ids("ann", "  "), (Ids{"cho", "dan", "ben"}));  // blank: no filter
  EXPECT_EQ(friend_ids("ann", ""), (Ids{"cho", "dan", "ben"}));
  auto too_long = friends.list_friends("ann", std::string(kMaxSearchChars + 1, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "q");
}

TEST_F(Friends, RemovingIsQuietAndReAddingNotifiesAgain) {
  ASSERT_TRUE(friends.add_friend("ann", "ben"));
  EXPECT_TRUE(friends.remove_friend("ann", "ben"));
  EXPECT_TRUE(friends.remove_friend("ann", "ben"));    // not a friend: still fine
  EXPECT_TRUE(friends.remove_friend("ann", "ghost"));  // nobody: still fine
  EXPECT_EQ(friend_ids("ann"), Ids{});
  auto again = friends.add_friend("ann", "ben");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->added);
  EXPECT_EQ(sink.sent().size(), 2u);
}

TEST_F(Friends, TheFriendListIsCapped) {
  // Filling the list through the store is quicker than kMaxFriends signed-up users.
  for (std::size_t i = 0; i < kMaxFriends; ++i) {
    const std::string id = "f" + std::to_string(i);
    add_user(id, id);
    ASSERT_TRUE(friend_store.add("ann", id, clock_.now_ms(), kMaxFriends));
  }
  auto full = friends.add_friend("ann", "ben");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Code::conflict);
  EXPECT_TRUE(sink.sent().empty());
  EXPECT_EQ(friends.list_friends("ann", std::nullopt)->size(), kMaxFriends);
  ASSERT_TRUE(friends.remove_friend("ann", "f0"));
  EXPECT_TRUE(friends.add_friend("ann", "ben"));
}

namespace {

// A WriteBatch whose commit fails after the work in it ran (a full disk, a
// lost file): the friend must not stay added without its notice.
class ThrowAfter final : public WriteBatch {
 public:
  explicit ThrowAfter(WriteBatch& inner) : inner_(inner) {}
  using WriteBatch::run;
  void run(const std::function<void()>& fn, const std::function<void()>& after_commit) override {
    inner_.run(
        [&] {
          fn();
          throw std::runtime_error("disk full");
        },
        after_commit);
  }

 private:
  WriteBatch& inner_;
};

}  // namespace

TEST_F(Friends, AFailedCommitLeavesNeitherFriendNorNotification) {
  ThrowAfter failing(batch);
  FriendService broken{friend_store, users, notifications, failing, clock_};
  EXPECT_THROW((void)broken.add_friend("ann", "ben"), std::runtime_error);
  EXPECT_EQ(friend_ids("ann"), Ids{});
  EXPECT_EQ(unread("ben"), 0);
  EXPECT_TRUE(sink.sent().empty());
}
