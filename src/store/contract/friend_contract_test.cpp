// The contract of FriendStore, for every adapter.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/contract/test_stores.hpp"

namespace chattwo::store::contract {
namespace {

using chat::Code;
using Ids = std::vector<std::string>;

constexpr std::size_t kCap = 100;

class FriendContract : public SocialContract {
 protected:
  void SetUp() override {
    SocialContract::SetUp();
    add_user("alice", "Alice");
    add_user("bob", "밥 🍚");
    add_user("carol", "carol");
    add_user("dave", "Dave");
  }

  Ids list(const std::string& of, std::string_view name_part = "", std::size_t limit = kCap) {
    Ids out;
    for (const auto& u : friends().list(of, name_part, limit)) out.push_back(u.id);
    return out;
  }
};

TEST_P(FriendContract, AddIsOnceThenAlready) {
  auto first = friends().add("alice", "bob", kT0, kCap);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(*first);
  auto again = friends().add("alice", "bob", kT0 + 1, kCap);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(list("alice"), Ids{"bob"});
}

TEST_P(FriendContract, FriendshipIsOneWay) {
  ASSERT_TRUE(friends().add("alice", "bob", kT0, kCap));
  EXPECT_EQ(list("bob"), Ids{});
  ASSERT_TRUE(friends().add("bob", "alice", kT0, kCap));
  EXPECT_EQ(list("bob"), Ids{"alice"});
  EXPECT_TRUE(friends().remove("alice", "bob"));
  EXPECT_EQ(list("alice"), Ids{});
  EXPECT_EQ(list("bob"), Ids{"alice"});
}

TEST_P(FriendContract, UnknownUsersAreNotFound) {
  auto unknown_friend = friends().add("alice", "ghost", kT0, kCap);
  ASSERT_FALSE(unknown_friend);
  EXPECT_EQ(unknown_friend.error().code, Code::not_found);
  auto unknown_user = friends().add("ghost", "alice", kT0, kCap);
  ASSERT_FALSE(unknown_user);
  EXPECT_EQ(unknown_user.error().code, Code::not_found);
  EXPECT_EQ(list("alice"), Ids{});
}

TEST_P(FriendContract, RemoveSaysWhetherThereWasOne) {
  ASSERT_TRUE(friends().add("alice", "bob", kT0, kCap));
  EXPECT_TRUE(friends().remove("alice", "bob"));
  EXPECT_FALSE(friends().remove("alice", "bob"));
  EXPECT_FALSE(friends().remove("alice", "ghost"));
}

TEST_P(FriendContract, ListIsByNameThenIdWithFullProfiles) {
  add_user("dave2", "Dave");
  for (const char* id : {"dave2", "carol", "bob", "dave"}) ASSERT_TRUE(friends().add("alice", id, kT0, kCap));
  // Names case aside ("carol" < "Dave"), then by id; Hangul after Latin.
  EXPECT_EQ(list("alice"), (Ids{"carol", "dave", "dave2", "bob"}));
  auto all = friends().list("alice", "", kCap);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].name, "밥 🍚");
  EXPECT_EQ(all[3].email, "bob@example.test");  // the store gives the full User; api/ hides emails
  EXPECT_EQ(all[3].created_at_ms, kT0);
  EXPECT_EQ(list("alice", "", 2), (Ids{"carol", "dave"}));
}

TEST_P(FriendContract, ListFiltersByNameLikeASearch) {
  add_user("pct", "100%");
  add_user("num", "1000");
  for (const char* id : {"bob", "carol", "dave", "pct", "num"}) ASSERT_TRUE(friends().add("alice", id, kT0, kCap));
  EXPECT_EQ(list("alice", "AV"), Ids{"dave"});
  EXPECT_EQ(list("alice", "🍚"), Ids{"bob"});
  EXPECT_EQ(list("alice", "밥"), Ids{"bob"});
  EXPECT_EQ(list("alice", "100%"), Ids{"pct"});
  EXPECT_EQ(list("alice", "_"), Ids{});
  EXPECT_EQ(list("alice", "alice"), Ids{});  // not oneself: alice is nobody's friend here
}

TEST_P(FriendContract, TheCapIsCountedWithTheInsert) {
  // Eight threads add eight different friends against a cap of 3: exactly
  // three get in, whatever the interleaving.
  constexpr int kThreads = 8;
  for (int i = 0; i < kThreads; ++i) add_user("f" + std::to_string(i), "f" + std::to_string(i));
  std::atomic<int> added{0}, full{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = friends().add("alice", "f" + std::to_string(i), kT0, 3);
      if (r && *r) ++added;
      if (!r && r.error().code == Code::conflict) ++full;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(added.load(), 3);
  EXPECT_EQ(full.load(), kThreads - 3);
  EXPECT_EQ(list("alice").size(), 3u);
  // At the cap, one already there is still "already", not "full".
  const std::string there = list("alice").front();
  auto again = friends().add("alice", there, kT0, 3);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

INSTANTIATE_TEST_SUITE_P(All, FriendContract, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace chattwo::store::contract
