#include "chat/query_checks.hpp"

#include <gtest/gtest.h>

using namespace chattwo::chat;

TEST(SearchText, TrimmedAndKeptAsTyped) {
  EXPECT_EQ(*normalize_search_text("  김민 "), "김민");
  EXPECT_EQ(*normalize_search_text("\u3000Kim Min\t"), "Kim Min");  // ideographic space trims too
  EXPECT_EQ(*normalize_search_text("50%_off"), "50%_off");          // wildcards are the store's to escape
  EXPECT_EQ(*normalize_search_text("🐶"), "🐶");
}

TEST(SearchText, BlankLongMalformedOrControlIsAValidationErrorOnTheField) {
  std::string longest(kMaxSearchChars, 'a');
  EXPECT_TRUE(normalize_search_text(longest));
  std::string korean;
  for (std::size_t i = 0; i < kMaxSearchChars; ++i) korean += "가";  // code points, not bytes
  EXPECT_TRUE(normalize_search_text(korean));
  for (const std::string& bad : {std::string(""), std::string("   "), longest + "a", korean + "가",
                                std::string("\xff\xfe"), std::string("a\x01z"), std::string("a\nb")}) {
    auto r = normalize_search_text(bad, "q");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "q");
  }
}

TEST(Ids, OneToSixtyFourVisibleAscii) {
  EXPECT_TRUE(check_id("01JD5Y2Q7ZQ4V1K3M8N6P0R2ST", "userId"));
  EXPECT_TRUE(check_id(std::string(64, 'x'), "userId"));
  for (const std::string& bad : {std::string(""), std::string(65, 'x'), std::string("a b"), std::string("아이디")}) {
    auto r = check_id(bad, "userId");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "userId");
  }
}
