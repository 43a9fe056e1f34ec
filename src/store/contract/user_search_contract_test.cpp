// The contract of UserStore::search, for every adapter.
#include <string>
#include <vector>

#include "store/contract/test_stores.hpp"

namespace chattwo::store::contract {
namespace {

using Ids = std::vector<std::string>;

class UserSearchContract : public SocialContract {
 protected:
  Ids search(std::string name_part, std::optional<std::string> email = std::nullopt, std::string exclude = "me",
             std::size_t limit = 20) {
    chat::UserQuery q;
    q.name_part = std::move(name_part);
    q.email = std::move(email);
    q.exclude_id = std::move(exclude);
    q.limit = limit;
    Ids out;
    for (const auto& u : users().search(q)) out.push_back(u.id);
    return out;
  }
};

TEST_P(UserSearchContract, NamePartsMatchAsciiInEitherCaseByNameCaseAsideThenId) {
  add_user("me", "Kim Me");
  add_user("b", "kimchi");
  add_user("a", "kimchi");
  add_user("c", "Minji KIM");
  add_user("d", "Lee");
  EXPECT_EQ(search("kim"), (Ids{"a", "b", "c"}));  // "kimchi" < "Minji KIM": case aside, then id
  EXPECT_EQ(search("KIMCHI"), (Ids{"a", "b"}));
  EXPECT_EQ(search("Kim", std::nullopt, "d"), (Ids{"me", "a", "b", "c"}));
  EXPECT_EQ(search("zzz"), Ids{});
}

TEST_P(UserSearchContract, KoreanAndEmojiMatchAsSubstrings) {
  add_user("me", "나");
  add_user("u1", "김민지");
  add_user("u2", "박민수 🐶");
  add_user("u3", "🐶🐱");
  EXPECT_EQ(search("민"), (Ids{"u1", "u2"}));
  EXPECT_EQ(search("민수 🐶"), Ids{"u2"});
  EXPECT_EQ(search("🐱"), Ids{"u3"});
  EXPECT_EQ(search("🐶"), (Ids{"u2", "u3"}));  // by code point: 박 (U+BC15) before 🐶 (U+1F436)
}

TEST_P(UserSearchContract, WildcardCharactersAreLiteral) {
  add_user("me", "me");
  add_user("pct", "100% real");
  add_user("num", "1000 real");
  add_user("und", "snake_case");
  add_user("any", "snakeXcase");
  add_user("bsl", "a\\b");
  EXPECT_EQ(search("100%"), Ids{"pct"});
  EXPECT_EQ(search("e_c"), Ids{"und"});
  EXPECT_EQ(search("_"), Ids{"und"});
  EXPECT_EQ(search("\\"), Ids{"bsl"});
  EXPECT_EQ(search("%"), Ids{"pct"});
}

TEST_P(UserSearchContract, TheExactEmailMatchesTooAndComesFirst) {
  add_user("me", "me");
  add_user("zed", "Zed", std::optional<std::string>("zed@example.com"));
  add_user("fan", "a zed@example.com fan");
  add_user("nomail", "zed", std::optional<std::string>());
  EXPECT_EQ(search("zed@example.com", "zed@example.com"), (Ids{"zed", "fan"}));
  EXPECT_EQ(search("nothing like it", "zed@example.com"), Ids{"zed"});
  EXPECT_EQ(search("zed@example.co", "zed@example.co"), Ids{"fan"});  // equal, not contained
  // Without an email, users without one are no match for it.
  EXPECT_EQ(search("ZED"), (Ids{"fan", "nomail", "zed"}));  // "Zed" and "zed" tie: by id
}

TEST_P(UserSearchContract, TheCallerIsNeverFoundAndLimitCaps) {
  add_user("me", "same");
  for (int i = 0; i < 5; ++i) add_user("u" + std::to_string(i), "same");
  EXPECT_EQ(search("same", std::string("me@example.test")), (Ids{"u0", "u1", "u2", "u3", "u4"}));
  EXPECT_EQ(search("same", std::nullopt, "me", 2), (Ids{"u0", "u1"}));
}

INSTANTIATE_TEST_SUITE_P(All, UserSearchContract, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace chattwo::store::contract
