#include "chat/user_directory.hpp"

#include <gtest/gtest.h>

#include "chat/query_checks.hpp"
#include "chat/test_fakes.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

struct Directory : ::testing::Test {
  chat::testing::FakeClock clock_;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  UserDirectory directory{users};

  void add(const std::string& id, const std::string& name, std::optional<std::string> email = std::nullopt) {
    User u;
    u.id = id;
    u.name = name;
    u.email = email ? email : std::optional<std::string>(id + "@example.test");
    u.created_at_ms = clock_.now_ms();
    ASSERT_TRUE(users.insert(u, ""));
  }

  std::vector<std::string> ids(std::string_view caller, std::string_view text, std::size_t limit = 20) {
    auto found = directory.search(caller, text, limit);
    EXPECT_TRUE(found) << found.error().detail;
    std::vector<std::string> out;
    if (found) {
      for (const auto& u : *found) out.push_back(u.id);
    }
    return out;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_F(Directory, NamesContainingTheTextInAnyAsciiCaseByNameWithoutTheCaller) {
  add("me", "Kim Me");
  add("u1", "kimchi lover");
  add("u2", "Minji KIM");
  add("u3", "Lee");
  EXPECT_EQ(ids("me", "kim"), (Ids{"u1", "u2"}));  // "kimchi lover" < "Minji KIM": case aside
  EXPECT_EQ(ids("me", "  KIM "), (Ids{"u1", "u2"}));
  EXPECT_EQ(ids("u3", "Kim"), (Ids{"me", "u1", "u2"}));  // "Kim Me" < "kimchi lover"
  EXPECT_EQ(ids("me", "nobody"), Ids{});
}

TEST_F(Directory, KoreanAndEmojiMatchExactly) {
  add("me", "나");
  add("u1", "김민지");
  add("u2", "박민수 🐶");
  add("u3", "민");
  EXPECT_EQ(ids("me", "민"), (Ids{"u1", "u3", "u2"}));  // by code point: 김 < 민 < 박
  EXPECT_EQ(ids("me", "민지"), Ids{"u1"});
  EXPECT_EQ(ids("me", "🐶"), Ids{"u2"});
  EXPECT_EQ(ids("me", "김민수"), Ids{});
}

TEST_F(Directory, AnExactEmailFindsItsUserFirstInAnyCase) {
  add("me", "Me");
  add("u1", "Zed", "zed@example.com");
  add("u2", "zed@example.com fan");  // the text is also in this name
  EXPECT_EQ(ids("me", "  ZED@Example.COM "), (Ids{"u1", "u2"}));
  EXPECT_EQ(ids("me", "zed@example"), Ids{"u2"});  // a part of an email is no email match
  EXPECT_EQ(ids("u1", "zed@example.com"), Ids{"u2"});  // not oneself, even by email
}

TEST_F(Directory, WildcardsInTheTextAreLiteral) {
  add("me", "Me");
  add("u1", "50% off");
  add("u2", "500 off");
  add("u3", "a_b");
  add("u4", "axb");
  add("u5", "back\\slash");
  EXPECT_EQ(ids("me", "50%"), Ids{"u1"});
  EXPECT_EQ(ids("me", "a_b"), Ids{"u3"});
  EXPECT_EQ(ids("me", "%"), Ids{"u1"});
  EXPECT_EQ(ids("me", "\\"), Ids{"u5"});
}

TEST_F(Directory, LimitCapsTheAnswer) {
  add("me", "Me");
  for (int i = 0; i < 60; ++i) add("u" + std::to_string(100 + i), "friend " + std::to_string(100 + i));
  EXPECT_EQ(ids("me", "friend", 3), (Ids{"u100", "u101", "u102"}));
  EXPECT_EQ(ids("me", "friend", 1000).size(), kMaxUserSearchLimit);
  auto zero = directory.search("me", "friend", 0);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().field, "limit");
}

TEST_F(Directory, BlankOrOverlongTextIsAValidationErrorOnQ) {
  for (const std::string& text : {std::string(""), std::string(" \t "), std::string(kMaxSearchChars + 1, 'a')}) {
    auto r = directory.search("me", text, 20);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "q");
  }
}
