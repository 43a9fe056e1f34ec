#include "ops/units.hpp"

#include <gtest/gtest.h>

using namespace chattwo::ops;
using namespace std::chrono_literals;

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("10s"), 10s);
  EXPECT_EQ(parse_duration("15m"), 15min);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("1500"), 1500ms);
  EXPECT_FALSE(parse_duration("10 s"));
  EXPECT_FALSE(parse_duration("s"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_EQ(format_duration(15min), "15m");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size("1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("16KiB"), 16u * 1024);
  EXPECT_EQ(parse_size("100"), 100u);
  EXPECT_EQ(parse_size("2MB"), 2'000'000u);
  EXPECT_FALSE(parse_size("1 MiB"));
  EXPECT_FALSE(parse_size("1TiB"));
  EXPECT_EQ(format_size(64u << 20), "64MiB");
}

TEST(Units, Endpoints) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:8080"), (Endpoint{"127.0.0.1", 8080}));
  EXPECT_EQ(parse_endpoint("[::1]:0"), (Endpoint{"::1", 0}));
  EXPECT_EQ(parse_endpoint("localhost:9"), (Endpoint{"localhost", 9}));
  EXPECT_FALSE(parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:65536"));
  EXPECT_FALSE(parse_endpoint(":80"));
  EXPECT_FALSE(parse_endpoint("::1:80"));
  EXPECT_FALSE(parse_endpoint("host:80x"));
}
