#include "base/utf8.hpp"

#include <gtest/gtest.h>

using chattwo::base::trim_unicode_space;
using chattwo::base::utf8_length;

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("안녕하세요"), 5u);
  EXPECT_EQ(utf8_length("😀"), 1u);          // 4 bytes, one code point
  EXPECT_EQ(utf8_length("👍🏽"), 2u);          // emoji + skin tone modifier
  EXPECT_EQ(utf8_length(""), 0u);
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(utf8_length("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8_length("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(utf8_length("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(utf8_length("\xE2\x82"));          // truncated
  EXPECT_FALSE(utf8_length("\x80"));              // stray continuation
}

TEST(Utf8, TrimsUnicodeWhitespaceOnly) {
  EXPECT_EQ(trim_unicode_space("  민수 \t\n"), "민수");
  EXPECT_EQ(trim_unicode_space("\xE3\x80\x80" "Kim" "\xC2\xA0"), "Kim");  // U+3000, U+00A0
  EXPECT_EQ(trim_unicode_space("a b"), "a b");
  EXPECT_EQ(trim_unicode_space(" \t "), "");
  EXPECT_EQ(trim_unicode_space("😀 "), "😀");
}
