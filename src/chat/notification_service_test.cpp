#include "chat/notification_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "chat/room_service.hpp"
#include "chat/test_fakes.hpp"
#include "chat/test_notification_sink.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

struct Notifications : ::testing::Test {
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  chat::testing::RecordingSink sink;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteNotificationStore store{db};
  store::sqlite::SqliteRoomStore room_store{db};
  NotificationService notifications{store, users, sink, clock_, ids_};

  void SetUp() override {
    for (const char* id : {"ann", "ben", "cho"}) {
      User u;
      u.id = id;
      u.email = std::string(id) + "@example.test";
      u.name = std::string(id) == "ben" ? "벤 🐻" : id;
      u.created_at_ms = clock_.now_ms();
      ASSERT_TRUE(users.insert(u, ""));
    }
  }

  // n friend_added notifications for `to` from `from`, one millisecond apart.
  std::vector<std::string> make(int n, const std::string& to = "ann", const std::string& from = "ben") {
    std::vector<std::string> made;
    for (int i = 0; i < n; ++i) {
      clock_.advance_ms(1);
      auto r = notifications.friend_added(from, to);
      EXPECT_TRUE(r) << r.error().detail;
      if (r) made.push_back(r->id);
    }
    return made;
  }

  std::vector<std::string> ids_of(const NotificationFeed& feed) {
    std::vector<std::string> out;
    for (const auto& v : feed.notifications) out.push_back(v.notification.id);
    return out;
  }

  std::string room_of(const std::string& owner, const std::vector<std::string>& others) {
    RoomService rooms{room_store, users, clock_, ids_};
    auto room = rooms.create_room(owner, others, std::string("모임"));
    EXPECT_TRUE(room);
    return room->room.id;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_F(Notifications, FriendAddedIsStoredForTheRecipientAndSentLiveOnce) {
  auto made = notifications.friend_added("ben", "ann");
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_EQ(made->recipient_id, "ann");
  EXPECT_EQ(made->actor_id, "ben");
  EXPECT_EQ(made->type, NotificationType::friend_added);
  EXPECT_FALSE(made->room_id);
  EXPECT_EQ(made->created_at_ms, clock_.now_ms());
  EXPECT_FALSE(made->read);

  auto sent = sink.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].notification.id, made->id);
  EXPECT_EQ(sent[0].actor.id, "ben");
  EXPECT_EQ(sent[0].actor.name, "벤 🐻");

  auto feed = notifications.list("ann", std::nullopt, 30);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->notifications.size(), 1u);
  EXPECT_EQ(feed->notifications[0].notification.id, made->id);
  EXPECT_EQ(feed->notifications[0].actor.name, "벤 🐻");
  EXPECT_EQ(feed->unread_count, 1);
  EXPECT_FALSE(feed->has_more);
  // Only the recipient has it.
  EXPECT_TRUE(notifications.list("ben", std::nullopt, 30)->notifications.empty());
}

TEST_F(Notifications, RoomInvitedNamesTheRoom) {
  const std::string room = room_of("ben", {"ann"});
  auto made = notifications.room_invited("ben", "ann", room);
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_EQ(made->type, NotificationType::room_invited);
  EXPECT_EQ(made->room_id, room);
  ASSERT_EQ(sink.sent().size(), 1u);
  EXPECT_EQ(sink.sent()[0].notification.room_id, room);
  auto feed = notifications.list("ann", std::nullopt, 30);
  ASSERT_EQ(feed->notifications.size(), 1u);
  EXPECT_EQ(feed->notifications[0].notification.room_id, room);
  EXPECT_EQ(feed->notifications[0].notification.type, NotificationType::room_invited);
}

TEST_F(Notifications, NothingIsMadeForOneselfOrUnknownUsersOrRooms) {
  const std::string room = room_of("ben", {"ann"});
  auto self = notifications.room_invited("ann", "ann", room);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, Code::validation);
  auto ghost_actor = notifications.friend_added("ghost", "ann");
  ASSERT_FALSE(ghost_actor);
  EXPECT_EQ(ghost_actor.error().code, Code::not_found);
  auto ghost_recipient = notifications.friend_added("ann", "ghost");
  ASSERT_FALSE(ghost_recipient);
  EXPECT_EQ(ghost_recipient.error().code, Code::not_found);
  auto ghost_room = notifications.room_invited("ben", "ann", "no-such-room");
  ASSERT_FALSE(ghost_room);
  EXPECT_EQ(ghost_room.error().code, Code::not_found);
  EXPECT_TRUE(sink.sent().empty());
  EXPECT_TRUE(notifications.list("ann", std::nullopt, 30)->notifications.empty());
}

TEST_F(Notifications, PagesGoNewestFirstAndOlderThanBefore) {
  const auto made = make(5);  // made[4] is the newest
  auto first = notifications.list("ann", std::nullopt, 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(ids_of(*first), (Ids{made[4], made[3]}));
  EXPECT_TRUE(first->has_more);
  EXPECT_EQ(first->unread_count, 5);

  auto second = notifications.list("ann", made[3], 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(ids_of(*second), (Ids{made[2], made[1]}));
  EXPECT_TRUE(second->has_more);

  auto last = notifications.list("ann", made[1], 2);
  ASSERT_TRUE(last);
  EXPECT_EQ(ids_of(*last), (Ids{made[0]}));
  EXPECT_FALSE(last->has_more);

  auto exact = notifications.list("ann", made[2], 2);  // exactly the rest: nothing more
  EXPECT_EQ(ids_of(*exact), (Ids{made[1], made[0]}));
  EXPECT_FALSE(exact->has_more);
}

TEST_F(Notifications, ThoseOfOneMillisecondPageByIdWithoutLosingAny) {
  std::vector<std::string> made;
  for (int i = 0; i < 4; ++i) made.push_back(notifications.friend_added("ben", "ann")->id);  // the clock stands still
  std::sort(made.begin(), made.end(), std::greater<>());
  auto first = notifications.list("ann", std::nullopt, 3);
  EXPECT_EQ(ids_of(*first), (Ids{made[0], made[1], made[2]}));
  auto rest = notifications.list("ann", made[2], 3);
  EXPECT_EQ(ids_of(*rest), (Ids{made[3]}));
}

TEST_F(Notifications, LimitsAndCursorsAreChecked) {
  make(3);
  const auto bens = make(1, "ben", "cho");
  EXPECT_EQ(notifications.list("ann", std::nullopt, 1000)->notifications.size(), 3u);  // capped, not refused
  auto zero = notifications.list("ann", std::nullopt, 0);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().field, "limit");
  // Someone else's notification is no cursor: the same answer as an unknown id.
  for (const std::string& before : {bens[0], std::string("no-such-id"), std::string(65, 'x')}) {
    auto r = notifications.list("ann", before, 30);
    ASSERT_FALSE(r) << before;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "before");
  }
}

TEST_F(Notifications, MarkReadTouchesOnlyTheCallersOwn) {
  const auto anns = make(3);
  const auto bens = make(2, "ben", "cho");
  // ann names one of hers, one of ben's and one that does not exist.
  ASSERT_TRUE(notifications.mark_read("ann", {anns[1], bens[0], "no-such-id"}));
  auto ann = notifications.list("ann", std::nullopt, 30);
  EXPECT_EQ(ann->unread_count, 2);
  for (const auto& v : ann->notifications) EXPECT_EQ(v.notification.read, v.notification.id == anns[1]);
  auto ben = notifications.list("ben", std::nullopt, 30);
  EXPECT_EQ(ben->unread_count, 2);
  for (const auto& v : ben->notifications) EXPECT_FALSE(v.notification.read);

  ASSERT_TRUE(notifications.mark_read("ann", {anns[1]}));  // again: no change, no error
  ASSERT_TRUE(notifications.mark_read("ann", {}));
  EXPECT_EQ(notifications.list("ann", std::nullopt, 30)->unread_count, 2);
}

TEST_F(Notifications, MarkAllReadIsTheCallersOnly) {
  make(3);
  make(2, "ben", "cho");
  notifications.mark_all_read("ann");
  auto ann = notifications.list("ann", std::nullopt, 30);
  EXPECT_EQ(ann->unread_count, 0);
  for (const auto& v : ann->notifications) EXPECT_TRUE(v.notification.read);
  EXPECT_EQ(notifications.list("ben", std::nullopt, 30)->unread_count, 2);
  make(1);  // a new one after: unread
  EXPECT_EQ(notifications.list("ann", std::nullopt, 30)->unread_count, 1);
}

TEST_F(Notifications, MarkReadIdsAreBounded) {
  std::vector<std::string> many(kMaxNotificationIdsPerRead, "x");
  EXPECT_TRUE(notifications.mark_read("ann", many));
  many.push_back("x");
  auto too_many = notifications.mark_read("ann", many);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, Code::validation);
  EXPECT_EQ(too_many.error().field, "ids");
  auto too_long = notifications.mark_read("ann", {std::string(65, 'x')});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "ids");
}

TEST_F(Notifications, RecordSendsNothingUntilAnnounced) {
  auto view = notifications.record(NotificationType::friend_added, "cho", "ann", std::nullopt);
  ASSERT_TRUE(view) << view.error().detail;
  EXPECT_EQ(view->actor.id, "cho");
  EXPECT_TRUE(sink.sent().empty());
  EXPECT_EQ(notifications.list("ann", std::nullopt, 30)->unread_count, 1);
  notifications.announce(*view);
  ASSERT_EQ(sink.sent().size(), 1u);
  EXPECT_EQ(sink.sent()[0].notification.id, view->notification.id);
}

TEST_F(Notifications, TheActorIsShownAsTheyAreNow) {
  make(1);
  ProfilePatch rename;
  rename.name = "벤자민";
  ASSERT_TRUE(users.update_profile("ben", rename));
  EXPECT_EQ(notifications.list("ann", std::nullopt, 30)->notifications.at(0).actor.name, "벤자민");
}
