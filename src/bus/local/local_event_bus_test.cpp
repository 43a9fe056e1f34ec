#include "bus/local/local_event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using chattwo::bus::local::LocalEventBus;
using chattwo::chat::BusEvent;

TEST(LocalEventBus, PublishCallsTheHandlerAtOnceInOrder) {
  LocalEventBus bus;
  std::vector<BusEvent> seen;
  bus.set_handler([&](std::span<const BusEvent> events) { seen.insert(seen.end(), events.begin(), events.end()); });
  bus.publish({"rooms.r1", "message", R"({"seq":1})"});
  bus.publish({"rooms.r1", "read", R"({"lastReadSeq":1})"});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].topic, "rooms.r1");
  EXPECT_EQ(seen[0].event, "message");
  EXPECT_EQ(seen[0].payload, R"({"seq":1})");
  EXPECT_EQ(seen[1].event, "read");
}

TEST(LocalEventBus, ABatchIsOneHandlerCallInOrder) {
  LocalEventBus bus;
  std::vector<std::size_t> call_sizes;
  std::vector<std::string> payloads;
  bus.set_handler([&](std::span<const BusEvent> events) {
    call_sizes.push_back(events.size());
    for (const auto& e : events) payloads.push_back(e.payload);
  });
  bus.publish_all({{"rooms.r1", "message", "1"}, {"rooms.r2", "message", "2"}, {"rooms.r1", "read", "3"}});
  bus.publish_all({});  // nothing: no call
  EXPECT_EQ(call_sizes, (std::vector<std::size_t>{3}));
  EXPECT_EQ(payloads, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(LocalEventBus, WithoutAHandlerEventsAreDropped) {
  LocalEventBus bus;
  bus.publish({"rooms.r1", "message", "{}"});  // no crash, nothing to see
  int calls = 0;
  bus.set_handler([&](std::span<const BusEvent>) { ++calls; });
  bus.publish({"rooms.r1", "message", "{}"});
  EXPECT_EQ(calls, 1);
}

TEST(LocalEventBus, InterestIsCounted) {
  LocalEventBus bus;
  EXPECT_EQ(bus.interest("rooms.r1"), 0u);
  bus.add_interest("rooms.r1");
  bus.add_interest("rooms.r1");
  bus.add_interest("users.u1");
  EXPECT_EQ(bus.interest("rooms.r1"), 2u);
  EXPECT_EQ(bus.topics_of_interest(), 2u);
  bus.remove_interest("rooms.r1");
  EXPECT_EQ(bus.interest("rooms.r1"), 1u);
  bus.remove_interest("rooms.r1");
  bus.remove_interest("rooms.r1");  // one too many: stays at zero
  EXPECT_EQ(bus.interest("rooms.r1"), 0u);
  EXPECT_EQ(bus.topics_of_interest(), 1u);
}

TEST(LocalEventBus, AHandlerMayPublishAndChangeInterest) {
  LocalEventBus bus;
  int calls = 0;
  bus.set_handler([&](std::span<const BusEvent> events) {
    for (const BusEvent& e : events) {
      ++calls;
      bus.add_interest(e.topic);
      if (e.event == "message") bus.publish({e.topic, "room", "{}"});
    }
  });
  bus.publish({"rooms.r1", "message", "{}"});
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(bus.interest("rooms.r1"), 2u);
}

TEST(LocalEventBus, ConcurrentPublishersAndInterestChanges) {
  LocalEventBus bus;
  std::atomic<int> delivered = 0;
  bus.set_handler([&](std::span<const BusEvent> events) {
    delivered.fetch_add(static_cast<int>(events.size()), std::memory_order_relaxed);
  });
  constexpr int kThreads = 4;
  constexpr int kEach = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&bus, t] {
      const std::string topic = "rooms.r" + std::to_string(t);
      for (int i = 0; i < kEach; ++i) {
        bus.add_interest(topic);
        bus.publish({topic, "message", "{}"});
        bus.remove_interest(topic);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(delivered.load(), kThreads * kEach);
  EXPECT_EQ(bus.topics_of_interest(), 0u);
}
