#include "api/request_auth.hpp"

#include <gtest/gtest.h>

using chattwo::api::find_cookie;

TEST(Cookies, FindsTheNamedCookie) {
  EXPECT_EQ(find_cookie("a=1; chattwo_session=abc; b=2", "chattwo_session"), "abc");
  EXPECT_EQ(find_cookie("chattwo_session=\"q\"", "chattwo_session"), "q");
  EXPECT_EQ(find_cookie("xchattwo_session=abc", "chattwo_session"), std::nullopt);
  EXPECT_EQ(find_cookie("", "chattwo_session"), std::nullopt);
}
