#include "stomp/codec/parser.hpp"

#include <gtest/gtest.h>

using namespace chattwo::stomp;
using namespace std::string_literals;

namespace {

// Feeds `wire` in pieces of `chunk` bytes and collects everything parsed.
struct Collected {
  std::vector<Frame> frames;
  int heartbeats = 0;
  std::optional<ParseError> error;
};

Collected parse_all(std::string_view wire, std::size_t chunk = SIZE_MAX, ParserLimits limits = {},
                    Version version = Version::v1_2) {
  Parser p(limits);
  p.set_version(version);
  Collected out;
  for (std::size_t i = 0; i < wire.size() && !out.error; i += std::min(chunk, wire.size() - i)) {
    p.feed(wire.substr(i, std::min(chunk, wire.size() - i)));
    for (;;) {
      auto item = p.next();
      if (std::holds_alternative<NeedMore>(item)) break;
      if (std::holds_alternative<HeartBeat>(item)) ++out.heartbeats;
      if (auto* f = std::get_if<Frame>(&item)) out.frames.push_back(std::move(*f));
      if (auto* e = std::get_if<ParseError>(&item)) {
        out.error = *e;
        break;
      }
    }
  }
  return out;
}

}  // namespace

TEST(StompParser, ParsesTheSpecsSendExample) {
  auto c = parse_all("SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\0"s);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0].command, Command::send);
  EXPECT_EQ(c.frames[0].header("destination"), "/queue/a");
  EXPECT_EQ(c.frames[0].body, "hello queue a");
}

TEST(StompParser, AnySplitGivesTheSameFrames) {
  const std::string wire =
      "CONNECT\r\naccept-version:1.2\r\nhost:chat\r\n\r\n\0"
      "\n\r\n"  // heart-beats between frames
      "SEND\ndestination:/app/rooms.1.messages\ncontent-length:5\n\na\0b\0c\0"
      "SUBSCRIBE\nid:0\ndestination:/topic/rooms.1\n\n\0"s;
  for (std::size_t chunk : {1ul, 2ul, 3ul, 7ul, 64ul, 1000ul}) {
    auto c = parse_all(wire, chunk);
    ASSERT_FALSE(c.error) << chunk;
    ASSERT_EQ(c.frames.size(), 3u) << chunk;
    EXPECT_EQ(c.heartbeats, 2) << chunk;
    EXPECT_EQ(c.frames[0].header("host"), "chat");  // CR of CRLF is not part of the value
    EXPECT_EQ(c.frames[1].body, "a\0b\0c"s);        // content-length lets the body hold NULs
    EXPECT_EQ(c.frames[2].command, Command::subscribe);
  }
}

TEST(StompParser, UnescapesHeadersIn12) {
  auto c = parse_all("MESSAGE\nk\\cey:a\\nb\\\\c\\rd\n\n\0"s);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0].headers[0].first, "k:ey");
  EXPECT_EQ(c.frames[0].headers[0].second, "a\nb\\c\rd");
}

TEST(StompParser, UndefinedEscapesAreFatal) {
  EXPECT_EQ(parse_all("SEND\nk:a\\tb\n\n\0"s).error, ParseError::bad_escape);
  EXPECT_EQ(parse_all("SEND\nk:a\\\n\n\0"s).error, ParseError::bad_escape);
  // \r is only defined from 1.2 on.
  EXPECT_EQ(parse_all("SEND\nk:a\\rb\n\n\0"s, SIZE_MAX, {}, Version::v1_1).error, ParseError::bad_escape);
}

TEST(StompParser, ConnectAndVersion10AreNotUnescaped) {
  auto c = parse_all("CONNECT\npasscode:a\\tb\n\n\0"s);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0].header("passcode"), "a\\tb");
  auto old = parse_all("SEND\nk:a\\tb\n\n\0"s, SIZE_MAX, {}, Version::v1_0);
  ASSERT_EQ(old.frames.size(), 1u);
  EXPECT_EQ(old.frames[0].header("k"), "a\\tb");
}

TEST(StompParser, HeaderValuesKeepSpacesAndColons) {
  auto c = parse_all("SEND\nk: v :x\nempty:\n\n\0"s);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0].header("k"), " v :x");  // 1.2: no trimming; only the first ':' splits
  EXPECT_EQ(c.frames[0].header("empty"), "");
}

TEST(StompParser, FirstContentLengthCounts) {
  auto c = parse_all("SEND\ncontent-length:2\ncontent-length:9\n\nab\0"s);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0].body, "ab");
}

TEST(StompParser, MalformedFrames) {
  EXPECT_EQ(parse_all("HELLO\n\n\0"s).error, ParseError::unknown_command);
  EXPECT_EQ(parse_all("send\n\n\0"s).error, ParseError::unknown_command);
  EXPECT_EQ(parse_all("SEND\nno-colon\n\n\0"s).error, ParseError::malformed_header);
  EXPECT_EQ(parse_all("SEND\ncontent-length:abc\n\nx\0"s).error, ParseError::bad_content_length);
  EXPECT_EQ(parse_all("SEND\ncontent-length:-1\n\nx\0"s).error, ParseError::bad_content_length);
  EXPECT_EQ(parse_all("SEND\ncontent-length:1\n\nxy\0"s).error, ParseError::missing_nul);
}

TEST(StompParser, ErrorsAreSticky) {
  Parser p;
  p.feed("BOGUS\n\n\0SEND\n\n\0"s);
  EXPECT_TRUE(std::holds_alternative<ParseError>(p.next()));
  EXPECT_TRUE(std::holds_alternative<ParseError>(p.next()));
}

TEST(StompParser, Limits) {
  ParserLimits small{.max_frame_bytes = 100, .max_headers = 3, .max_line_bytes = 40};
  EXPECT_EQ(parse_all("SEND\n\n" + std::string(200, 'x') + "\0"s, 10, small).error, ParseError::frame_too_large);
  // A content-length over the limit is refused before the body is buffered.
  Parser p(small);
  p.feed("SEND\ncontent-length:5000\n\n");
  EXPECT_EQ(std::get<ParseError>(p.next()), ParseError::frame_too_large);
  EXPECT_EQ(parse_all("SEND\na:1\nb:2\nc:3\nd:4\n\n\0"s, SIZE_MAX, small).error, ParseError::too_many_headers);
  EXPECT_EQ(parse_all("SEND\nk:" + std::string(50, 'v') + "\n\n\0"s, SIZE_MAX, small).error, ParseError::line_too_long);
  // Without a newline in sight, a long line is refused as soon as it passes the limit.
  EXPECT_EQ(parse_all("SEND\nk:" + std::string(60, 'v'), 5, small).error, ParseError::line_too_long);
  // Exactly at the limit is fine: 94 bytes of body + "SEND\n\n" = 100 with the NUL... minus one.
  EXPECT_TRUE(parse_all("SEND\n\n" + std::string(93, 'x') + "\0"s, 7, small).frames.size() == 1);
}

TEST(StompParser, LongStreamsDoNotGrowTheBuffer) {
  Parser p;
  const std::string frame = "SEND\ndestination:/app/x\n\nhello\0"s;
  std::size_t max_buffered = 0;
  int frames = 0;
  p.feed(frame.substr(0, frame.size() / 2));
  for (int i = 0; i < 10'000; ++i) {
    // Always leave half a frame in flight, as a busy client does.
    p.feed(frame.substr(frame.size() / 2) + frame.substr(0, frame.size() / 2));
    for (auto item = p.next(); !std::holds_alternative<NeedMore>(item); item = p.next()) {
      ASSERT_FALSE(std::holds_alternative<ParseError>(item));
      frames += std::holds_alternative<Frame>(item);
    }
    max_buffered = std::max(max_buffered, p.buffered());
  }
  EXPECT_EQ(frames, 10'000);
  EXPECT_LT(max_buffered, 16u * 1024);
}

TEST(StompParser, ReleasingTheIdleBufferKeepsPendingBytes) {
  Parser p;
  const std::string frame = "SEND\ndestination:/app/x\n\nhello\0"s;
  p.feed(frame.substr(0, 10));
  EXPECT_TRUE(std::holds_alternative<NeedMore>(p.next()));
  p.release_idle_buffer();  // mid-frame: nothing may be dropped
  p.feed(frame.substr(10));
  auto first = p.next();
  ASSERT_TRUE(std::holds_alternative<Frame>(first));
  EXPECT_EQ(std::get<Frame>(first).body, "hello");
  EXPECT_TRUE(std::holds_alternative<NeedMore>(p.next()));
  p.release_idle_buffer();  // between frames: freed
  EXPECT_EQ(p.buffered(), 0u);
  p.feed(frame);
  auto second = p.next();
  ASSERT_TRUE(std::holds_alternative<Frame>(second));
  EXPECT_EQ(std::get<Frame>(second).header("destination"), "/app/x");
}
