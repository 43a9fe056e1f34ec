#include "wire.hpp"

#include <gtest/gtest.h>

#include "stomp/codec/parser.hpp"

namespace chattwo::bench {
namespace {

TEST(Wire, SendBodyCarriesTheTimestampAndPads) {
  const auto body = make_send_body(1234567, "run1-3-7", 0);
  EXPECT_EQ(body, R"({"clientMsgId":"run1-3-7","type":"text","text":"t=1234567"})");
  const auto padded = make_send_body(42, "x", 100);
  const auto text_at = padded.find("t=42 ");
  ASSERT_NE(text_at, std::string::npos);
  EXPECT_EQ(padded.size() - text_at - 2, 100u);  // text, then "}
}

TEST(Wire, SendTimeReadBackFromTheServersMessage) {
  // As the server would deliver it: our text inside a Message, any field order.
  const std::string message =
      R"({"id":"01J","roomId":"r1","seq":5,"senderId":"u1","type":"text","text":"t=987654321 xxxx",)"
      R"("clientMsgId":"run1-0-1","createdAt":"2026-01-01T00:00:00.000Z","unreadCount":3})";
  EXPECT_EQ(parse_send_ns(message), 987654321u);
  EXPECT_EQ(parse_send_ns(make_send_body(5, "a", 0)), 5u);
  EXPECT_EQ(parse_send_ns(R"({"text":"hello"})"), std::nullopt);
  EXPECT_EQ(parse_send_ns(R"({"text":"t=x"})"), std::nullopt);
  EXPECT_EQ(parse_send_ns(""), std::nullopt);
}

TEST(Wire, FramesRoundTripThroughTheParser) {
  std::string wire;
  stomp::serialize(connect_frame("127.0.0.1", "tok"), stomp::Version::v1_2, wire);
  stomp::serialize(subscribe_frame("0", room_topic("r1"), "sub"), stomp::Version::v1_2, wire);
  stomp::serialize(send_frame(room_send_destination("r1"), "s1", make_send_body(1, "a", 0)), stomp::Version::v1_2,
                   wire);
  stomp::serialize(disconnect_frame("bye"), stomp::Version::v1_2, wire);
  stomp::Parser parser;
  parser.feed(wire);
  auto next_frame = [&] {
    auto item = parser.next();
    EXPECT_TRUE(std::holds_alternative<stomp::Frame>(item));
    return std::holds_alternative<stomp::Frame>(item) ? std::get<stomp::Frame>(item) : stomp::Frame{};
  };
  auto connect = next_frame();
  EXPECT_EQ(connect.command, stomp::Command::connect);
  EXPECT_EQ(connect.header("accept-version"), "1.2");
  EXPECT_EQ(connect.header("heart-beat"), "0,0");
  EXPECT_EQ(connect.header("Authorization"), "Bearer tok");
  auto subscribe = next_frame();
  EXPECT_EQ(subscribe.header("destination"), "/topic/rooms.r1");
  EXPECT_EQ(subscribe.header("receipt"), "sub");
  auto send = next_frame();
  EXPECT_EQ(send.command, stomp::Command::send);
  EXPECT_EQ(send.header("destination"), "/app/rooms.r1.messages");
  EXPECT_EQ(send.header("content-type"), "application/json");
  EXPECT_EQ(send.header("receipt"), "s1");
  EXPECT_EQ(parse_send_ns(send.body), 1u);
  auto disconnect = next_frame();
  EXPECT_EQ(disconnect.command, stomp::Command::disconnect);
  EXPECT_TRUE(std::holds_alternative<stomp::NeedMore>(parser.next()));
}

TEST(Wire, VmRssFromProcStatus) {
  const std::string status = "Name:\tchattwo\nVmPeak:\t  300000 kB\nVmRSS:\t   123456 kB\nRssAnon:\t 1000 kB\n";
  EXPECT_EQ(parse_vm_rss_kib(status), 123456u);
  EXPECT_EQ(parse_vm_rss_kib("Name:\tx\n"), std::nullopt);
  EXPECT_TRUE(read_rss_kib(0).has_value());  // this process
}

}  // namespace
}  // namespace chattwo::bench
