#include "chat/send_rate_limiter.hpp"

#include <gtest/gtest.h>

using chattwo::chat::SendRateLimiter;

TEST(SendRateLimiter, AllowsABurstOfFourTimesTheRateThenTheRate) {
  SendRateLimiter limiter(10);
  int sent = 0;
  while (limiter.try_send("u", 0)) ++sent;
  EXPECT_EQ(sent, 40);                       // the burst
  EXPECT_FALSE(limiter.try_send("u", 50));   // half a token later: still no
  EXPECT_TRUE(limiter.try_send("u", 100));   // one token per 100 ms at 10/s
  EXPECT_FALSE(limiter.try_send("u", 100));
  EXPECT_TRUE(limiter.try_send("other", 100));  // per user
}

TEST(SendRateLimiter, ZeroMeansNoLimit) {
  SendRateLimiter limiter(0);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(limiter.try_send("u", 0));
}
