#include "api/room_events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <vector>

#include "api/test_recording_bus.hpp"

using namespace chattwo;

namespace {

using api::testing::RecordingBus;

chat::Message sample() {
  chat::Message m;
  m.id = "m1";
  m.room_id = "r1";
  m.seq = 7;
  m.sender_id = "u1";
  m.type = chat::MessageType::text;
  m.text = "안녕 👋";
  m.client_msg_id = "c1";
  m.created_at_ms = 1'795'556'406'123;
  m.unread_count = 2;
  return m;
}

}  // namespace

TEST(RoomEvents, MessageCreatedPublishesTheMessageJsonOnTheRoomTopic) {
  RecordingBus bus;
  api::RoomEvents events(bus);
  const std::string returned = events.message_created(sample());
  ASSERT_EQ(bus.events.size(), 1u);
  EXPECT_EQ(bus.events[0].topic, "rooms.r1");
  EXPECT_EQ(bus.events[0].event, "message");
  EXPECT_EQ(bus.events[0].payload, returned);
  EXPECT_EQ(returned, api::message_json(sample()));

  const auto o = boost::json::parse(returned).as_object();
  EXPECT_EQ(o.at("id").as_string(), "m1");
  EXPECT_EQ(o.at("roomId").as_string(), "r1");
  EXPECT_EQ(o.at("seq").as_int64(), 7);
  EXPECT_EQ(o.at("senderId").as_string(), "u1");
  EXPECT_EQ(o.at("type").as_string(), "text");
  EXPECT_EQ(o.at("text").as_string(), "안녕 👋");
  EXPECT_EQ(o.at("clientMsgId").as_string(), "c1");
  EXPECT_EQ(o.at("createdAt").as_string(), "2026-11-24T21:40:06.123Z");
  EXPECT_EQ(o.at("unreadCount").as_int64(), 2);
  EXPECT_FALSE(o.contains("image"));
}

TEST(RoomEvents, SystemMessagesHaveANullSenderAndNoClientMsgId) {
  chat::Message m = sample();
  m.sender_id.reset();
  m.client_msg_id.reset();
  m.type = chat::MessageType::system;
  const auto o = boost::json::parse(api::message_json(m)).as_object();
  EXPECT_TRUE(o.at("senderId").is_null());
  EXPECT_EQ(o.at("type").as_string(), "system");
  EXPECT_FALSE(o.contains("clientMsgId"));
}

TEST(RoomEvents, ReadMovedPublishesTheMark) {
  RecordingBus bus;
  api::RoomEvents events(bus);
  events.read_moved(chat::ReadMark{"r1", "u2", 5, true});
  ASSERT_EQ(bus.events.size(), 1u);
  EXPECT_EQ(bus.events[0].topic, "rooms.r1");
  EXPECT_EQ(bus.events[0].event, "read");
  EXPECT_EQ(bus.events[0].payload, R"({"roomId":"r1","userId":"u2","lastReadSeq":5})");
}

TEST(RoomEvents, SendBodiesNeedTheirFieldsWithTheirTypes) {
  auto parse = [](std::string_view json) {
    return api::parse_send_request(boost::json::parse(json).as_object());
  };
  auto text = parse(R"({"clientMsgId":"c1","type":"text","text":"hi","extra":1})");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->client_msg_id, "c1");
  EXPECT_EQ(text->type, "text");
  EXPECT_EQ(text->text, "hi");
  auto image = parse(R"({"clientMsgId":"c1","type":"image","imageId":"i1"})");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->image_id, "i1");

  EXPECT_EQ(parse(R"({"type":"text","text":"hi"})").error().field, "clientMsgId");
  EXPECT_EQ(parse(R"({"clientMsgId":1,"type":"text","text":"hi"})").error().field, "clientMsgId");
  EXPECT_EQ(parse(R"({"clientMsgId":"c1","text":"hi"})").error().field, "type");
  EXPECT_EQ(parse(R"({"clientMsgId":"c1","type":"text"})").error().field, "text");
  EXPECT_EQ(parse(R"({"clientMsgId":"c1","type":"text","text":null})").error().field, "text");
  EXPECT_EQ(parse(R"({"clientMsgId":"c1","type":"image"})").error().field, "imageId");
  EXPECT_TRUE(parse(R"({"clientMsgId":"c1","type":"video"})"));  // the service refuses the type
}

TEST(RoomEvents, ReadSeqIsAnInteger) {
  auto parse = [](std::string_view json) { return api::parse_read_seq(boost::json::parse(json).as_object()); };
  EXPECT_EQ(*parse(R"({"seq":3})"), 3);
  EXPECT_EQ(*parse(R"({"seq":-1})"), -1);  // the service refuses it, with its words
  EXPECT_EQ(*parse(R"({"seq":18446744073709551615})"), INT64_MAX);
  EXPECT_FALSE(parse(R"({})"));
  EXPECT_FALSE(parse(R"({"seq":"3"})"));
  EXPECT_FALSE(parse(R"({"seq":2.5})"));
  EXPECT_FALSE(parse(R"({"seq":null})"));
}
