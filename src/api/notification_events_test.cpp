#include "api/notification_events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <vector>

#include "api/test_recording_bus.hpp"

using namespace chattwo;

namespace {

using api::testing::RecordingBus;

chat::NotificationView sample(chat::NotificationType type) {
  chat::NotificationView v;
  v.notification.id = "n1";
  v.notification.recipient_id = "u2";
  v.notification.type = type;
  v.notification.actor_id = "u1";
  if (type == chat::NotificationType::room_invited) v.notification.room_id = "r1";
  v.notification.created_at_ms = 1'795'556'406'123;
  v.actor.id = "u1";
  v.actor.email = "secret@example.test";
  v.actor.name = "김민지 🐰";
  v.actor.status_message = "hi";
  v.actor.created_at_ms = 1'795'556'000'000;
  return v;
}

}  // namespace

TEST(NotificationEvents, FriendAddedGoesToTheRecipientsTopicAsNotificationJson) {
  RecordingBus bus;
  api::NotificationEvents events(bus);
  events.notification_created(sample(chat::NotificationType::friend_added));
  ASSERT_EQ(bus.events.size(), 1u);
  EXPECT_EQ(bus.events[0].topic, "users.u2");
  EXPECT_EQ(bus.events[0].event, "notification");

  const auto o = boost::json::parse(bus.events[0].payload).as_object();
  EXPECT_EQ(o.at("id").as_string(), "n1");
  EXPECT_EQ(o.at("type").as_string(), "friend_added");
  EXPECT_EQ(o.at("createdAt").as_string(), "2026-11-24T21:40:06.123Z");
  EXPECT_EQ(o.at("read").as_bool(), false);
  EXPECT_FALSE(o.contains("roomId"));
  const auto& actor = o.at("actor").as_object();
  EXPECT_EQ(actor.at("id").as_string(), "u1");
  EXPECT_EQ(actor.at("name").as_string(), "김민지 🐰");
  EXPECT_FALSE(actor.contains("email"));  // never another user's email
  EXPECT_EQ(bus.events[0].payload.find("secret@"), std::string::npos);
}

TEST(NotificationEvents, RoomInvitedCarriesTheRoomAndReadIsAsStored) {
  auto view = sample(chat::NotificationType::room_invited);
  view.notification.read = true;
  const auto o = api::notification_object(view);
  EXPECT_EQ(o.at("type").as_string(), "room_invited");
  EXPECT_EQ(o.at("roomId").as_string(), "r1");
  EXPECT_EQ(o.at("read").as_bool(), true);
}
