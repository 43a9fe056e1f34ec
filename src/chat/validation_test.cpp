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

TEST(Validation, RoomNameUpTo80AfterTrimming) {
  EXPECT_EQ(*normalize_room_name("  "), "");
  EXPECT_EQ(*normalize_room_name(" 우리 방 "), "우리 방");
  EXPECT_TRUE(normalize_room_name(std::string(80, 'x')));
  auto long_name = normalize_room_name(std::string(81, 'x'));
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().field, "name");
}

TEST(Validation, MessageTextIsCountedNotTrimmed) {
  EXPECT_TRUE(check_message_text(" x "));
  EXPECT_TRUE(check_message_text(std::string(10000, 'x')));
  EXPECT_FALSE(check_message_text(std::string(10001, 'x')));
  EXPECT_FALSE(check_message_text(""));
  EXPECT_FALSE(check_message_text(" \t\r\n"));
  EXPECT_FALSE(check_message_text("\xe3\x80\x80"));  // U+3000 ideographic space only
  EXPECT_FALSE(check_message_text("\xc3\x28"));      // not UTF-8
  EXPECT_EQ(check_message_text("").error().field, "text");
}

TEST(Validation, ClientMsgIdIsVisibleAscii) {
  EXPECT_TRUE(check_client_msg_id("0f8fad5b-d9cb-469f-a165-70867728950e"));
  EXPECT_TRUE(check_client_msg_id(std::string(64, 'k')));
  EXPECT_FALSE(check_client_msg_id(""));
  EXPECT_FALSE(check_client_msg_id(std::string(65, 'k')));
  EXPECT_FALSE(check_client_msg_id("a b"));
  EXPECT_FALSE(check_client_msg_id("a\nb"));
  EXPECT_FALSE(check_client_msg_id("아이디"));
  EXPECT_EQ(check_client_msg_id("").error().field, "clientMsgId");
}
