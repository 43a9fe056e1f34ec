#include "api/message_json.hpp"

#include <gtest/gtest.h>

#include "api/room_events.hpp"

using namespace chattwo;

namespace {

chat::Message sample() {
  chat::Message m;
  m.id = "01J000000000000000000000AB";
  m.room_id = "01J000000000000000000000RM";
  m.sender_id = "01J000000000000000000000US";
  m.type = chat::MessageType::text;
  m.text = "안녕 \"quoted\" \\ 👋\n<script>";
  m.client_msg_id = "c-\"1\"\\";
  m.created_at_ms = 1'764'000'000'123;
  return m;
}

}  // namespace

TEST(MessageJsonTemplate, FillsInExactlyWhatMessageJsonWouldSay) {
  chat::Message m = sample();
  const api::MessageJsonTemplate json(m);
  for (auto [seq, unread] : {std::pair<std::int64_t, std::int64_t>{1, 0}, {42, 7}, {9'007'199'254'740'993, 1}}) {
    m.seq = seq;
    m.unread_count = unread;
    EXPECT_EQ(json.fill(seq, unread), api::message_json(m));
  }
}

TEST(MessageJsonTemplate, WithoutTheOptionalFields) {
  chat::Message m = sample();
  m.client_msg_id.reset();
  m.sender_id.reset();
  m.type = chat::MessageType::system;
  m.seq = 3;
  EXPECT_EQ(api::MessageJsonTemplate(m).fill(3, 0), api::message_json(m));
}

TEST(MessageJsonTemplate, AnImageMessageCarriesItsImage) {
  chat::Message m = sample();
  m.type = chat::MessageType::image;
  m.text.clear();
  chat::Image image;
  image.id = "01J0000000000000000000IMG1";
  image.content_type = "image/jpeg";
  image.width = 4032;
  image.height = 3024;
  m.image_id = image.id;
  m.image = image;
  m.seq = 12;
  m.unread_count = 2;
  const std::string json = api::MessageJsonTemplate(m).fill(12, 2);
  EXPECT_EQ(json, api::message_json(m));
  EXPECT_NE(json.find(R"("image":{"id":"01J0000000000000000000IMG1","url":"/api/v1/images/01J0000000000000000000IMG1","thumbUrl":"/api/v1/images/01J0000000000000000000IMG1/thumb","width":4032,"height":3024,"contentType":"image/jpeg"})"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("\"text\""), std::string::npos);
}
