#include "api/query_values.hpp"

#include <gtest/gtest.h>

using namespace chattwo;
using namespace chattwo::api;

namespace {

Request with_query(std::string query) {
  Request req;
  req.query = std::move(query);
  return req;
}

}  // namespace

TEST(QueryText, DecodedPlusIsASpaceAbsentIsNullopt) {
  auto korean = query_text(with_query("limit=5&q=%EA%B9%80+%EB%AF%BC"), "q");
  ASSERT_TRUE(korean);
  EXPECT_EQ(**korean, "김 민");
  EXPECT_EQ(**query_text(with_query("q=50%25"), "q"), "50%");
  EXPECT_EQ(**query_text(with_query("q="), "q"), "");
  EXPECT_EQ(**query_text(with_query("q"), "q"), "");
  EXPECT_FALSE(*query_text(with_query("qq=1&limit=2"), "q"));
  EXPECT_FALSE(*query_text(with_query(""), "q"));
}

TEST(QueryText, AMalformedEscapeIsAValidationErrorNotAbsence) {
  for (const char* query : {"q=%zz", "q=abc%", "q=%4"}) {
    auto r = query_text(with_query(query), "q");
    ASSERT_FALSE(r) << query;
    EXPECT_EQ(r.error().code, chat::Code::validation);
    EXPECT_EQ(r.error().field, "q");
  }
}

TEST(QueryLimit, DefaultCapAndRefusals) {
  EXPECT_EQ(*query_limit(with_query(""), "limit", 20, 50), 20u);
  EXPECT_EQ(*query_limit(with_query("limit=1"), "limit", 20, 50), 1u);
  EXPECT_EQ(*query_limit(with_query("limit=50"), "limit", 20, 50), 50u);
  EXPECT_EQ(*query_limit(with_query("limit=51"), "limit", 20, 50), 50u);
  EXPECT_EQ(*query_limit(with_query("limit=99999999999999999999999999999"), "limit", 20, 50), 50u);
  EXPECT_EQ(*query_limit(with_query("limit=007"), "limit", 20, 50), 7u);
  for (const char* query : {"limit=0", "limit=-1", "limit=", "limit=abc", "limit=5x", "limit=+5", "limit=1.5",
                            "limit=%20"}) {
    auto r = query_limit(with_query(query), "limit", 20, 50);
    ASSERT_FALSE(r) << query;
    EXPECT_EQ(r.error().code, chat::Code::validation);
    EXPECT_EQ(r.error().field, "limit");
  }
}
