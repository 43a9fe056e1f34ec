#include "chat/validation.hpp"

#include <gtest/gtest.h>

using namespace chattwo::chat;

TEST(Validation, EmailIsTrimmedAndLowerCased) {
  EXPECT_EQ(*normalize_email("  Kim.MinSu@Example.COM "), "kim.minsu@example.com");
}

TEST(Validation, EmailMustBeLocalAtDomain) {
  for (const char* bad : {"", "@", "a@", "@b", "a@b@c", "a b@c", "no-at-sign", "a@\x01"}) {
    auto r = normalize_email(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "email");
  }
  EXPECT_FALSE(normalize_email(std::string(250, 'a') + "@b.cd"));  // 255 characters
  EXPECT_TRUE(normalize_email(std::string(249, 'a') + "@b.cd"));   // 254 characters
}

TEST(Validation, NameCountsCodePointsAfterTrimming) {
  EXPECT_EQ(*normalize_user_name("  김민수  "), "김민수");
  std::string forty_emoji;
  for (int i = 0; i < 40; ++i) forty_emoji += "😀";
  EXPECT_TRUE(normalize_user_name(forty_emoji));
  EXPECT_FALSE(normalize_user_name(forty_emoji + "😀"));
  EXPECT_FALSE(normalize_user_name("   "));
  EXPECT_FALSE(normalize_user_name("\xff"));
}

TEST(Validation, PasswordNeedsEightCodePoints) {
  EXPECT_FALSE(check_password("1234567"));
  EXPECT_TRUE(check_password("12345678"));
  EXPECT_TRUE(check_password("비밀번호비밀번호"));  // 8 code points, 24 bytes
  EXPECT_FALSE(check_password("비밀번호비밀번"));    // 7 code points, 21 bytes
  EXPECT_FALSE(check_password(std::string(1025, 'x')));
}

TEST(Validation, StatusMessageUpTo60) {
  EXPECT_EQ(*normalize_status_message(""), "");
  EXPECT_TRUE(normalize_status_message(std::string(60, 'x')));
  EXPECT_FALSE(normalize_status_message(std::string(61, 'x')));
}
