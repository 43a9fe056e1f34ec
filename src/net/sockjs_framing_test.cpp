#include "net/sockjs_framing.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

using namespace chattwo;
using namespace chattwo::net::sockjs;
using stomp::broker::OutFrame;

namespace {

std::string json_of(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

OutFrame frame(std::string head, std::string tail = {}) {
  return OutFrame{std::make_shared<const std::string>(std::move(head)),
                  tail.empty() ? nullptr : std::make_shared<const std::string>(std::move(tail))};
}

}  // namespace

TEST(SockJsFraming, PlainTextAndUnicodePassVerbatim) {
  EXPECT_EQ(json_of("hello"), "\"hello\"");
  EXPECT_EQ(json_of("안녕하세요 é"), "\"안녕하세요 é\"");
  EXPECT_EQ(json_of(""), "\"\"");
  EXPECT_EQ(json_of("a/b\x7f"), "\"a/b\x7f\"");
}

TEST(SockJsFraming, JsonEscapesAsJavaScriptWritesThem) {
  EXPECT_EQ(json_of("\"\\"), R"("\"\\")");
  EXPECT_EQ(json_of("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  // NUL ends every STOMP frame: it travels as \u0000 (the eventsource test
  // of sockjs-protocol-0.3.3 expects exactly "  \u0000\n\r ").
  EXPECT_EQ(json_of(std::string("  \0\n\r ", 6)), R"("  \u0000\n\r ")");
  EXPECT_EQ(json_of("\x01\x1f"), R"("\u0001\u001f")");
}

// sockjs-protocol-0.3.3 JSONEncoding.test_xhr_server_encodes: every
// character of `escapable_by_server` from U+00FF up comes back \u-escaped,
// lower-case hex, in order.
TEST(SockJsFraming, EscapesTheCharactersTheProtocolTestNames) {
  std::string input;
  std::string expected = "\"";
  for (std::uint32_t cp = 255; cp < 65536; ++cp) {
    const bool escapable = (cp >= 0x200c && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
                           (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfff0 && cp <= 0xffff);
    if (!escapable) continue;
    append_utf8(input, cp);
    char esc[8];
    std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(cp));
    expected += esc;
  }
  expected += '"';
  EXPECT_EQ(json_of(input), expected);
  // Neighbours stay raw.
  std::string raw;
  append_utf8(raw, 0x200b);
  append_utf8(raw, 0x2030);
  append_utf8(raw, 0xffef);
  EXPECT_EQ(json_of(raw), "\"" + raw + "\"");
}

TEST(SockJsFraming, CharactersAboveTheBmpBecomeSurrogatePairs) {
  std::string wave;
  append_utf8(wave, 0x1f44b);
  EXPECT_EQ(json_of("hi " + wave), R"("hi \ud83d\udc4b")");
}

TEST(SockJsFraming, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(json_of("a\xff"
                    "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(json_of("\xc3"), R"("\ufffd")");                      // cut short
  EXPECT_EQ(json_of("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong
  EXPECT_EQ(json_of("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // an encoded surrogate
}

TEST(SockJsFraming, MessageFrameHoldsOneStringPerStompFrame) {
  std::vector<OutFrame> frames{
      frame("MESSAGE\nsubscription:1\n", "destination:/topic/x\n\n{\"a\":1}" + std::string(1, '\0')),
      frame("RECEIPT\nreceipt-id:r1\n\n" + std::string(1, '\0'))};
  EXPECT_EQ(
      message_frame(frames),
      R"(a["MESSAGE\nsubscription:1\ndestination:/topic/x\n\n{\"a\":1}\u0000","RECEIPT\nreceipt-id:r1\n\n\u0000"])");
  EXPECT_EQ(message_frame({frame("\n")}), R"(a["\n"])");
  EXPECT_EQ(message_frame({}), "a[]");
}

TEST(SockJsFraming, CloseFrame) {
  EXPECT_EQ(close_frame(3000, "Go away!"), R"(c[3000,"Go away!"])");
  EXPECT_EQ(close_frame(2010, "Another connection still open"), R"(c[2010,"Another connection still open"])");
}

TEST(SockJsFraming, ParsesArraysOfStringsAndSingleStrings) {
  EXPECT_EQ(parse_messages(R"(["a","b"])"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_messages(R"([])"), (std::vector<std::string>{}));
  EXPECT_EQ(parse_messages(R"("x")"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(parse_messages(" [ \"a\" ] "), (std::vector<std::string>{"a"}));
  // What a client escapes comes back as the characters it stood for.
  auto nul = parse_messages(R"(["SEND\n\n\u0000","\u200c\ud83d\udc4b"])");
  ASSERT_TRUE(nul);
  EXPECT_EQ((*nul)[0], std::string("SEND\n\n\0", 7));
  std::string expected;
  append_utf8(expected, 0x200c);
  append_utf8(expected, 0x1f44b);
  EXPECT_EQ((*nul)[1], expected);
}

TEST(SockJsFraming, RefusesBrokenJsonAndOtherValues) {
  EXPECT_FALSE(parse_messages(R"(["x)"));
  EXPECT_FALSE(parse_messages(R"(["a")"));
  EXPECT_FALSE(parse_messages(""));
  EXPECT_FALSE(parse_messages("[1]"));
  EXPECT_FALSE(parse_messages(R"(["a",null])"));
  EXPECT_FALSE(parse_messages(R"({"a":"b"})"));
  EXPECT_FALSE(parse_messages("42"));
  EXPECT_FALSE(parse_messages(R"(["a"] x)"));
}

TEST(SockJsFraming, ParsesSessionPaths) {
  using K = Target::Kind;
  EXPECT_EQ(parse_target("").kind, K::greeting);
  EXPECT_EQ(parse_target("/").kind, K::greeting);
  EXPECT_EQ(parse_target("/info").kind, K::info);
  EXPECT_EQ(parse_target("/iframe.html").kind, K::iframe);
  EXPECT_EQ(parse_target("/iframe-1.6.1.html").kind, K::iframe);
  const Target t = parse_target("/000/ab_c-1/xhr_streaming");
  ASSERT_EQ(t.kind, K::session);
  EXPECT_EQ(t.server, "000");
  EXPECT_EQ(t.session, "ab_c-1");
  EXPECT_EQ(t.transport, "xhr_streaming");
  EXPECT_EQ(parse_target("/a/a/xhr").kind, K::session);
  // sockjs-protocol-0.3.3 SessionURLs.test_invalidPaths, and other shapes.
  for (std::string_view bad : {"//xhr", "/a./a/xhr", "/a/a./xhr", "/./././xhr", "/////xhr", "///xhr", "/a/a", "/a",
                               "/a/a/", "/a/a/xhr/x", "/a//xhr", "/infox"}) {
    EXPECT_EQ(parse_target(bad).kind, K::not_found) << bad;
  }
}
