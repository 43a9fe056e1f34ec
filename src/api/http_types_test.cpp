#include "api/http_types.hpp"

#include <gtest/gtest.h>

using namespace chattwo::api;

TEST(HttpTypes, QueryParamsAreDecoded) {
  Request r;
  r.query = "q=%EA%B9%80+%EB%AF%BC&limit=20&empty=&flag";
  EXPECT_EQ(r.query_param("q"), "김 민");
  EXPECT_EQ(r.query_param("limit"), "20");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("missing"), std::nullopt);
}

TEST(HttpTypes, PercentDecodeRejectsBrokenEscapes) {
  EXPECT_EQ(percent_decode("a%2Fb"), "a/b");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
}
