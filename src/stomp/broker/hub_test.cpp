#include "stomp/broker/hub.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace chattwo;
using namespace chattwo::stomp::broker;

namespace {

// Records interest changes; delivers straight to the hub.
struct RecordingBus final : chat::EventBus {
  Handler handler;
  std::map<std::string, int> interest;
  void publish(chat::BusEvent e) override { handler(std::span<const chat::BusEvent>(&e, 1)); }
  void publish_all(std::vector<chat::BusEvent> events) override { handler(events); }
  void set_handler(Handler h) override { handler = std::move(h); }
  void add_interest(const std::string& t) override { ++interest[t]; }
  void remove_interest(const std::string& t) override { --interest[t]; }
};

Subscription sub(std::shared_ptr<Outbox> box, std::string id) {
  return Subscription{std::move(box), std::make_shared<const std::string>("MESSAGE\nsubscription:" + id + "\n")};
}

std::string wire(const OutFrame& f) { return *f.head + (f.tail ? *f.tail : ""); }

}  // namespace

TEST(Hub, SerialisesOnceAndSharesTheTail) {
  RecordingBus bus;
  Hub hub(bus);
  auto a = std::make_shared<Outbox>(1 << 20, [] {});
  auto b = std::make_shared<Outbox>(1 << 20, [] {});
  hub.subscribe("rooms.r1", "c1/0", sub(a, "0"));
  hub.subscribe("rooms.r1", "c2/s", sub(b, "s"));
  bus.publish({"rooms.r1", "message", R"({"seq":1})"});

  auto fa = a->take_all(), fb = b->take_all();
  ASSERT_EQ(fa.size(), 1u);
  ASSERT_EQ(fb.size(), 1u);
  EXPECT_EQ(fa[0].tail.get(), fb[0].tail.get());  // one buffer for both
  const std::string expected_tail =
      "destination:/topic/rooms.r1\nmessage-id:1\nevent:message\ncontent-type:application/json\n"
      "content-length:9\n\n{\"seq\":1}";
  EXPECT_EQ(wire(fa[0]), "MESSAGE\nsubscription:0\n" + expected_tail + std::string(1, '\0'));
  EXPECT_EQ(wire(fb[0]), "MESSAGE\nsubscription:s\n" + expected_tail + std::string(1, '\0'));
}

TEST(Hub, AsksTheBusOnlyForTopicsWithLocalSubscribers) {
  RecordingBus bus;
  Hub hub(bus);
  auto a = std::make_shared<Outbox>(1 << 20, [] {});
  hub.subscribe("rooms.r1", "c1/0", sub(a, "0"));
  hub.subscribe("rooms.r1", "c2/0", sub(a, "0"));
  EXPECT_EQ(bus.interest["rooms.r1"], 1);
  hub.unsubscribe("rooms.r1", "c1/0");
  EXPECT_EQ(bus.interest["rooms.r1"], 1);
  hub.unsubscribe("rooms.r1", "c2/0");
  EXPECT_EQ(bus.interest["rooms.r1"], 0);
  EXPECT_EQ(hub.deliver({"rooms.r1", "message", "{}"}), 0u);
}

TEST(Hub, UserTopicsGoToTheNotificationQueue) {
  RecordingBus bus;
  Hub hub(bus);
  auto a = std::make_shared<Outbox>(1 << 20, [] {});
  hub.subscribe("users.u1", "c1/n", sub(a, "n"));
  bus.publish({"users.u1", "room", "{}"});
  bus.publish({"users.u2", "room", "{}"});  // someone else's
  auto frames = a->take_all();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].tail->find("destination:/user/queue/notifications\n"), std::string::npos);
}

TEST(Hub, ASlowSubscriberDoesNotStopTheOthers) {
  RecordingBus bus;
  Hub hub(bus);
  auto slow = std::make_shared<Outbox>(200, [] {});
  auto fast = std::make_shared<Outbox>(1 << 20, [] {});
  hub.subscribe("rooms.r", "slow/0", sub(slow, "0"));
  hub.subscribe("rooms.r", "fast/0", sub(fast, "0"));
  for (int i = 0; i < 10; ++i) bus.publish({"rooms.r", "message", std::string(50, 'x')});
  EXPECT_TRUE(slow->overflowed());
  EXPECT_EQ(fast->take_all().size(), 10u);
}

TEST(Hub, RevokeEventsCloseInsteadOfDelivering) {
  RecordingBus bus;
  Hub hub(bus);
  int wakes = 0;
  auto box = std::make_shared<Outbox>(1 << 20, [&] { ++wakes; });
  hub.subscribe("sessions.s1", "c1/#revoke", Subscription{box, nullptr});
  bus.publish({"sessions.s1", "revoke", ""});
  EXPECT_TRUE(box->close_requested());
  EXPECT_TRUE(box->take_all().empty());
  EXPECT_EQ(wakes, 1);
}

TEST(Hub, ABatchReachesEachSubscriberInOnePushInOrder) {
  RecordingBus bus;
  Hub hub(bus);
  int wakes_a = 0, wakes_b = 0;
  auto a = std::make_shared<Outbox>(1 << 20, [&] { ++wakes_a; });
  auto b = std::make_shared<Outbox>(1 << 20, [&] { ++wakes_b; });
  hub.subscribe("rooms.r1", "c1/0", sub(a, "0"));
  hub.subscribe("rooms.r2", "c2/0", sub(b, "0"));
  bus.publish_all({{"rooms.r1", "message", "1"},
                   {"rooms.r2", "message", "2"},
                   {"rooms.r1", "read", "3"},
                   {"rooms.r9", "message", "nobody listens"}});
  EXPECT_EQ(wakes_a, 1);  // one wake-up for its two frames: one write
  EXPECT_EQ(wakes_b, 1);
  auto fa = a->take_all();
  ASSERT_EQ(fa.size(), 2u);
  EXPECT_NE(fa[0].tail->find("event:message\n"), std::string::npos);
  EXPECT_EQ(fa[0].tail->substr(fa[0].tail->size() - 2), std::string("1\0", 2));
  EXPECT_NE(fa[1].tail->find("event:read\n"), std::string::npos);
  ASSERT_EQ(b->take_all().size(), 1u);
}

TEST(Outbox, TakingIntoAVectorSwapsCapacityAndPushAllIsAllOrNothing) {
  auto box = std::make_shared<Outbox>(100, [] {});
  auto head = std::make_shared<const std::string>("h");
  std::vector<std::shared_ptr<const std::string>> tails{std::make_shared<const std::string>("0123456789"),
                                                        std::make_shared<const std::string>("abc")};
  EXPECT_TRUE(box->push_all(head, tails));
  std::vector<OutFrame> batch;
  box->take_all(batch);
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_EQ(box->queued_bytes(), 0u);
  std::vector<std::shared_ptr<const std::string>> big(10, std::make_shared<const std::string>(std::string(20, 'x')));
  EXPECT_FALSE(box->push_all(head, big));  // 210 bytes > 100: refused as a whole, and the box is done
  EXPECT_TRUE(box->overflowed());
  EXPECT_TRUE(box->take_all().empty());
}

TEST(Hub, EvictEndsOneUsersSubscriptionsAfterWhatCameBefore) {
  RecordingBus bus;
  Hub hub(bus);
  auto leaver = std::make_shared<Outbox>(1 << 20, [] {});
  auto stayer = std::make_shared<Outbox>(1 << 20, [] {});
  hub.subscribe("rooms.r1", "c1/0", Subscription{leaver, std::make_shared<const std::string>("MESSAGE\n"), "u1"});
  hub.subscribe("rooms.r1", "c2/0", Subscription{stayer, std::make_shared<const std::string>("MESSAGE\n"), "u2"});
  bus.publish_all({{"rooms.r1", "member", R"({"action":"left"})"},
                   {"rooms.r1", "evict", "u1"},
                   {"rooms.r1", "message", R"({"seq":9})"}});
  auto seen_by_leaver = leaver->take_all();
  ASSERT_EQ(seen_by_leaver.size(), 1u);  // their own leaving, nothing after
  EXPECT_NE(seen_by_leaver[0].tail->find("event:member"), std::string::npos);
  EXPECT_EQ(stayer->take_all().size(), 2u);
  EXPECT_EQ(hub.subscriber_count("rooms.r1"), 1u);
  EXPECT_EQ(bus.interest["rooms.r1"], 1);
}
