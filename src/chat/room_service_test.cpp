#include "chat/room_service.hpp"

#include <gtest/gtest.h>

#include "chat/test_fakes.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

struct Rooms : ::testing::Test {
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteRoomStore room_store{db};
  RoomService rooms{room_store, users, clock_, ids_};

  void SetUp() override {
    chat::testing::add_users(users, clock_, {"ann", "ben", "cho", "dan"});
  }
};

std::vector<std::string> ids_of(const Room& room) {
  std::vector<std::string> out;
  for (const auto& m : room.members) out.push_back(m.user_id);
  return out;
}

}  // namespace

TEST_F(Rooms, OneOtherMemberAndNoNameIsTheDirectRoomFromEitherSide) {
  auto first = rooms.create_room("ann", {"ben"}, std::nullopt);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->room.kind, RoomKind::direct);
  EXPECT_EQ(first->room.name, "");
  EXPECT_EQ(first->room.created_at_ms, clock_.now_ms());
  EXPECT_EQ(ids_of(first->room), (std::vector<std::string>{"ann", "ben"}));

  auto again = rooms.create_room("ann", {"ben"}, std::nullopt);
  auto other_side = rooms.create_room("ben", {"ann"}, std::string("  "));  // blank name: no name
  ASSERT_TRUE(again);
  ASSERT_TRUE(other_side);
  EXPECT_FALSE(again->created);
  EXPECT_FALSE(other_side->created);
  EXPECT_EQ(again->room.id, first->room.id);
  EXPECT_EQ(other_side->room.id, first->room.id);
}

TEST_F(Rooms, TheCallerIsIncludedOnceAndDuplicatesCollapse) {
  auto direct = rooms.create_room("ann", {"ann", "ben", "ben"}, std::nullopt);
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->room.kind, RoomKind::direct);
  EXPECT_EQ(ids_of(direct->room), (std::vector<std::string>{"ann", "ben"}));
}

TEST_F(Rooms, ANameOrMoreMembersMakeANewGroupRoomEachTime) {
  auto named = rooms.create_room("ann", {"ben"}, std::string("  우리 둘 💕 "));
  ASSERT_TRUE(named);
  EXPECT_TRUE(named->created);
  EXPECT_EQ(named->room.kind, RoomKind::group);
  EXPECT_EQ(named->room.name, "우리 둘 💕");

  auto three = rooms.create_room("ann", {"cho", "ben"}, std::nullopt);
  auto three_again = rooms.create_room("ann", {"cho", "ben"}, std::nullopt);
  ASSERT_TRUE(three);
  ASSERT_TRUE(three_again);
  EXPECT_EQ(three->room.kind, RoomKind::group);
  EXPECT_NE(three->room.id, three_again->room.id);
  EXPECT_EQ(ids_of(three->room), (std::vector<std::string>{"ann", "cho", "ben"}));
  for (const auto& m : three->room.members) {
    EXPECT_EQ(m.joined_seq, 1);
    EXPECT_EQ(m.last_read_seq, 0);
  }

  auto alone = rooms.create_room("ann", {}, std::nullopt);  // a room to oneself
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->room.kind, RoomKind::group);
  EXPECT_EQ(ids_of(alone->room), (std::vector<std::string>{"ann"}));
}

TEST_F(Rooms, UnknownMembersAreNotFoundAndNothingIsCreated) {
  auto r = rooms.create_room("ann", {"ben", "ghost"}, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::not_found);
  EXPECT_EQ(r.error().field, "memberIds");
  EXPECT_NE(r.error().detail.find("ghost"), std::string::npos);
  auto direct = rooms.create_room("ann", {"ghost"}, std::nullopt);
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().code, Code::not_found);
}

TEST_F(Rooms, RoomNameLimits) {
  std::string eighty;
  for (int i = 0; i < 80; ++i) eighty += "가";
  EXPECT_TRUE(rooms.create_room("ann", {"ben", "cho"}, eighty));
  auto long_name = rooms.create_room("ann", {"ben", "cho"}, eighty + "가");
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().code, Code::validation);
  EXPECT_EQ(long_name.error().field, "name");
}

TEST_F(Rooms, TooManyMembersIsAValidationError) {
  std::vector<std::string> many;
  for (std::size_t i = 0; i <= kMaxMembersPerCreate; ++i) many.push_back("u" + std::to_string(i));
  many.push_back("ann");  // the caller and repeats don't count
  many.push_back("u0");
  auto r = rooms.create_room("ann", many, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::validation);
  EXPECT_EQ(r.error().field, "memberIds");
  many.resize(kMaxMembersPerCreate);  // just within: the lookups decide (u0 does not exist)
  EXPECT_EQ(rooms.create_room("ann", many, std::nullopt).error().code, Code::not_found);
}

TEST_F(Rooms, OnlyMembersSeeARoom) {
  auto created = rooms.create_room("ann", {"ben", "cho"}, std::string("g"));
  ASSERT_TRUE(created);
  const std::string id = created->room.id;

  auto seen = rooms.get_room("cho", id);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->id, id);
  EXPECT_EQ(seen->name, "g");
  EXPECT_EQ(seen->members.size(), 3u);
  EXPECT_TRUE(rooms.is_member("ben", id));
  EXPECT_FALSE(rooms.is_member("dan", id));

  auto outsider = rooms.get_room("dan", id);
  auto missing = rooms.get_room("dan", "no-such-room");
  ASSERT_FALSE(outsider);
  ASSERT_FALSE(missing);
  EXPECT_EQ(outsider.error().code, Code::not_found);
  // The same answer either way: room ids don't leak.
  EXPECT_EQ(outsider.error().detail, missing.error().detail);
}
