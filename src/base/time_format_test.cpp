#include "base/time_format.hpp"

#include <gtest/gtest.h>

using namespace chattwo::base;

TEST(TimeFormat, Rfc3339WithMilliseconds) {
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(1795556406123), "2026-11-24T21:40:06.123Z");
}

TEST(TimeFormat, HttpDate) {
  EXPECT_EQ(format_http_date(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
}
