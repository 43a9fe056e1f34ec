// The contract of NotificationStore, for every adapter.
#include <string>
#include <vector>

#include "store/contract/test_stores.hpp"

namespace chattwo::store::contract {
namespace {

using chat::Code;
using chat::Notification;
using chat::NotificationType;
using Ids = std::vector<std::string>;

class NotificationContract : public SocialContract {
 protected:
  void SetUp() override {
    SocialContract::SetUp();
    add_user("alice", "Alice");
    add_user("bob", "Bob");
    add_user("carol", "Carol");
  }

  Notification make(std::string id, std::string to, std::int64_t at, std::string from = "bob") {
    Notification n;
    n.id = std::move(id);
    n.recipient_id = std::move(to);
    n.type = NotificationType::friend_added;
    n.actor_id = std::move(from);
    n.created_at_ms = at;
    return n;
  }

  void insert(const Notification& n) {
    auto r = notifications().insert(n);
    ASSERT_TRUE(r) << r.error().detail;
  }

  Ids ids_of(const chat::NotificationPage& page) {
    Ids out;
    for (const auto& n : page.notifications) out.push_back(n.id);
    return out;
  }

  chat::NotificationPage page(const std::string& of, std::optional<std::string> before = std::nullopt,
                              std::size_t limit = 100) {
    auto p = notifications().page(of, before ? std::optional<std::string_view>(*before) : std::nullopt, limit);
    EXPECT_TRUE(p);
    return p ? *p : chat::NotificationPage{};
  }
};

TEST_P(NotificationContract, StoredAsGivenAndUnread) {
  ASSERT_TRUE(rooms().insert(chat::Room{"r1", chat::RoomKind::group, "모임", kT0, 0, {{"alice", 1, 0}, {"bob", 1, 0}}}));
  Notification invited = make("n2", "alice", kT0 + 2, "carol");
  invited.type = NotificationType::room_invited;
  invited.room_id = "r1";
  invited.read = true;  // ignored: a new notification is unread
  insert(make("n1", "alice", kT0 + 1));
  insert(invited);

  auto p = page("alice");
  ASSERT_EQ(p.notifications.size(), 2u);
  const Notification& newest = p.notifications[0];
  EXPECT_EQ(newest.id, "n2");
  EXPECT_EQ(newest.recipient_id, "alice");
  EXPECT_EQ(newest.type, NotificationType::room_invited);
  EXPECT_EQ(newest.actor_id, "carol");
  EXPECT_EQ(newest.room_id, "r1");
  EXPECT_EQ(newest.created_at_ms, kT0 + 2);
  EXPECT_FALSE(newest.read);
  const Notification& older = p.notifications[1];
  EXPECT_EQ(older.id, "n1");
  EXPECT_EQ(older.type, NotificationType::friend_added);
  EXPECT_EQ(older.actor_id, "bob");
  EXPECT_FALSE(older.room_id);
  EXPECT_EQ(p.unread_count, 2);
  EXPECT_FALSE(p.has_more);
}

TEST_P(NotificationContract, UnknownRecipientActorOrRoomIsNotFoundAndIdsAreUnique) {
  auto no_recipient = notifications().insert(make("n1", "ghost", kT0));
  ASSERT_FALSE(no_recipient);
  EXPECT_EQ(no_recipient.error().code, Code::not_found);
  auto no_actor = notifications().insert(make("n2", "alice", kT0, "ghost"));
  ASSERT_FALSE(no_actor);
  EXPECT_EQ(no_actor.error().code, Code::not_found);
  Notification no_room = make("n3", "alice", kT0);
  no_room.type = NotificationType::room_invited;
  no_room.room_id = "no-such-room";
  auto r = notifications().insert(no_room);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::not_found);
  EXPECT_TRUE(page("alice").notifications.empty());

  insert(make("n4", "alice", kT0));
  auto taken = notifications().insert(make("n4", "carol", kT0));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, Code::conflict);
}

TEST_P(NotificationContract, PagesAreNewestFirstByTimeThenIdWithACursor) {
  // Inserted out of order; two share a millisecond (then the id decides).
  insert(make("c", "alice", kT0 + 3));
  insert(make("a", "alice", kT0 + 1));
  insert(make("e", "alice", kT0 + 5));
  insert(make("d2", "alice", kT0 + 4));
  insert(make("d1", "alice", kT0 + 4));
  insert(make("b", "alice", kT0 + 2));
  insert(make("x", "carol", kT0 + 9));  // someone else's, newest of all

  auto first = page("alice", std::nullopt, 2);
  EXPECT_EQ(ids_of(first), (Ids{"e", "d2"}));
  EXPECT_TRUE(first.has_more);
  auto second = page("alice", "d2", 2);
  EXPECT_EQ(ids_of(second), (Ids{"d1", "c"}));
  EXPECT_TRUE(second.has_more);
  auto third = page("alice", "c", 2);
  EXPECT_EQ(ids_of(third), (Ids{"b", "a"}));
  EXPECT_FALSE(third.has_more);
  auto past_the_end = page("alice", "a", 2);
  EXPECT_TRUE(past_the_end.notifications.empty());
  EXPECT_FALSE(past_the_end.has_more);
  EXPECT_EQ(ids_of(page("alice")), (Ids{"e", "d2", "d1", "c", "b", "a"}));
  EXPECT_EQ(page("alice").unread_count, 6);
}

TEST_P(NotificationContract, ACursorMustBeTheRecipientsOwn) {
  insert(make("mine", "alice", kT0));
  insert(make("theirs", "carol", kT0 + 1));
  EXPECT_FALSE(notifications().page("alice", std::string_view("theirs"), 10));
  EXPECT_FALSE(notifications().page("alice", std::string_view("nothing"), 10));
  EXPECT_TRUE(notifications().page("alice", std::string_view("mine"), 10));
  EXPECT_TRUE(notifications().page("nobody", std::nullopt, 10)->notifications.empty());
}

TEST_P(NotificationContract, MarkReadIsScopedToTheRecipient) {
  insert(make("a1", "alice", kT0 + 1));
  insert(make("a2", "alice", kT0 + 2));
  insert(make("a3", "alice", kT0 + 3));
  insert(make("c1", "carol", kT0 + 4));
  EXPECT_EQ(notifications().mark_read("alice", {"a1", "a3", "c1", "ghost"}, kT0 + 10), 2u);
  EXPECT_EQ(notifications().mark_read("alice", {"a1"}, kT0 + 11), 0u);  // already read
  auto alice = page("alice");
  EXPECT_EQ(alice.unread_count, 1);
  for (const auto& n : alice.notifications) EXPECT_EQ(n.read, n.id != "a2") << n.id;
  auto carol = page("carol");
  EXPECT_EQ(carol.unread_count, 1);
  EXPECT_FALSE(carol.notifications.at(0).read);
}

TEST_P(NotificationContract, MarkAllReadIsScopedToTheRecipient) {
  insert(make("a1", "alice", kT0 + 1));
  insert(make("a2", "alice", kT0 + 2));
  insert(make("c1", "carol", kT0 + 3));
  EXPECT_EQ(notifications().mark_all_read("alice", kT0 + 10), 2u);
  EXPECT_EQ(notifications().mark_all_read("alice", kT0 + 11), 0u);
  EXPECT_EQ(page("alice").unread_count, 0);
  for (const auto& n : page("alice").notifications) EXPECT_TRUE(n.read);
  EXPECT_EQ(page("carol").unread_count, 1);
  insert(make("a3", "alice", kT0 + 12));
  EXPECT_EQ(page("alice").unread_count, 1);
}

TEST_P(NotificationContract, TheUnreadCountCoversAllNotJustThePage) {
  for (int i = 0; i < 7; ++i) insert(make("n" + std::to_string(i), "alice", kT0 + i));
  ASSERT_EQ(notifications().mark_read("alice", {"n6"}, kT0 + 100), 1u);
  auto p = page("alice", std::nullopt, 2);
  EXPECT_EQ(p.notifications.size(), 2u);
  EXPECT_EQ(p.unread_count, 6);
}

INSTANTIATE_TEST_SUITE_P(All, NotificationContract, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace chattwo::store::contract
