#include "store/sqlite/like_pattern.hpp"

#include <gtest/gtest.h>

#include "store/sqlite/database.hpp"

using namespace chattwo::store::sqlite;

TEST(LikePattern, WildcardsAndTheEscapeAreEscaped) {
  EXPECT_EQ(like_contains("kim"), "%kim%");
  EXPECT_EQ(like_contains("50%"), "%50\\%%");
  EXPECT_EQ(like_contains("a_b"), "%a\\_b%");
  EXPECT_EQ(like_contains("c:\\x"), "%c:\\\\x%");
  EXPECT_EQ(like_contains("김민"), "%김민%");
  EXPECT_EQ(like_contains(""), "%%");
}

TEST(LikePattern, SqliteMatchesItLiterallyFoldingAsciiOnly) {
  Database db(DatabaseSettings{":memory:"}, 0);
  auto lease = db.acquire();
  auto matches = [&](std::string_view text, std::string_view part) {
    Statement q = lease->prepare("SELECT ?1 LIKE ?2 ESCAPE '\\'");
    q.bind(1, text).bind(2, like_contains(part));
    q.step();
    return q.integer(0) == 1;
  };
  EXPECT_TRUE(matches("Kim Minji", "kIM"));
  EXPECT_TRUE(matches("50% off", "50%"));
  EXPECT_FALSE(matches("500 off", "50%"));
  EXPECT_FALSE(matches("axb", "a_b"));
  EXPECT_TRUE(matches("c:\\x", "\\"));
  EXPECT_TRUE(matches("박민수 🐶", "민수 🐶"));
  EXPECT_FALSE(matches("박민수", "민지"));
  EXPECT_TRUE(matches("anything", ""));
}
