#include "chat/login_throttle.hpp"

#include <gtest/gtest.h>

using namespace chattwo::chat;

namespace {
constexpr std::int64_t kMinute = 60'000;
LoginThrottleSettings small() {
  return {.max_failures_per_email = 3, .max_failures_per_address = 5, .window_ms = 15 * kMinute};
}
}  // namespace

TEST(LoginThrottle, BlocksAnEmailAfterItsLimitUntilTheWindowPasses) {
  LoginThrottle t(small());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.begin_attempt("a@x", "1.1.1.1", i * kMinute), 0);
  // Third failure at minute 2; the first (minute 0) leaves the window at minute 15.
  EXPECT_EQ(t.retry_after_s("a@x", "2.2.2.2", 3 * kMinute), 12 * 60);
  EXPECT_EQ(t.retry_after_s("b@x", "2.2.2.2", 3 * kMinute), 0);  // other emails unaffected
  EXPECT_EQ(t.retry_after_s("a@x", "2.2.2.2", 15 * kMinute), 0);
}

TEST(LoginThrottle, BlocksAnAddressAcrossEmails) {
  LoginThrottle t(small());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.begin_attempt("u" + std::to_string(i) + "@x", "9.9.9.9", 0), 0);
  EXPECT_GT(t.retry_after_s("new@x", "9.9.9.9", 1000), 0);
  EXPECT_EQ(t.retry_after_s("new@x", "8.8.8.8", 1000), 0);
}

TEST(LoginThrottle, SuccessClearsTheEmailsFailures) {
  LoginThrottle t(small());
  t.begin_attempt("a@x", "1", 0);
  t.begin_attempt("a@x", "1", 0);
  t.begin_attempt("a@x", "1", 0);  // succeeds:
  t.record_success("a@x", "1");
  t.begin_attempt("a@x", "1", 0);
  EXPECT_EQ(t.retry_after_s("a@x", "1", 0), 0);
}

TEST(LoginThrottle, ParallelAttemptsCountBeforeTheyFinish) {
  LoginThrottle t(small());
  // Three attempts in flight at once (none has failed yet): the fourth must wait.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.begin_attempt("a@x", "1", 0), 0);
  EXPECT_GT(t.begin_attempt("a@x", "1", 0), 0);
}

TEST(LoginThrottle, MemoryStaysBoundedUnderASprayOfEmails) {
  LoginThrottleSettings s = small();
  s.max_keys = 100;
  LoginThrottle t(s);
  for (int i = 0; i < 10'000; ++i) t.begin_attempt("spray" + std::to_string(i) + "@x", "a" + std::to_string(i), i);
  // The newest keys are still remembered...
  for (int k = 0; k < 2; ++k) t.begin_attempt("spray9999@x", "z", 10'000);
  EXPECT_GT(t.retry_after_s("spray9999@x", "q", 10'001), 0);
}
