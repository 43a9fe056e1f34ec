#include "stomp/broker/outbox.hpp"

#include <gtest/gtest.h>

using namespace chattwo::stomp::broker;

namespace {
OutFrame frame(std::size_t n) { return OutFrame{std::make_shared<const std::string>(n, 'x'), nullptr}; }
}  // namespace

TEST(Outbox, WakesOnlyWhenItStopsBeingEmpty) {
  int wakes = 0;
  Outbox box(1000, [&] { ++wakes; });
  EXPECT_TRUE(box.push(frame(10)));
  EXPECT_TRUE(box.push(frame(10)));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(box.take_all().size(), 2u);
  EXPECT_TRUE(box.push(frame(10)));
  EXPECT_EQ(wakes, 2);
}

TEST(Outbox, OverflowIsFinalAndFreesTheQueue) {
  int wakes = 0;
  Outbox box(100, [&] { ++wakes; });
  EXPECT_TRUE(box.push(frame(60)));
  EXPECT_FALSE(box.push(frame(60)));  // 120 > 100
  EXPECT_TRUE(box.overflowed());
  EXPECT_EQ(box.queued_bytes(), 0u);
  EXPECT_FALSE(box.push(frame(1)));
  EXPECT_EQ(wakes, 2);  // the writer learns of the overflow
}

TEST(Outbox, SharedTailsCountOnce) {
  Outbox box(1000, [] {});
  auto tail = std::make_shared<const std::string>(100, 't');
  for (int i = 0; i < 3; ++i) box.push(OutFrame{std::make_shared<const std::string>(10, 'h'), tail});
  EXPECT_EQ(box.queued_bytes(), 330u);
  auto frames = box.take_all();
  EXPECT_EQ(frames[0].tail.get(), frames[2].tail.get());
}
