#include "api/multipart_parser.hpp"

#include <gtest/gtest.h>

#include "api/test_multipart_recording.hpp"

using namespace chattwo::api;
using namespace std::string_literals;

namespace {

constexpr std::string_view kBoundary = "boundary";

struct Parsed {
  MultipartRecording recording;
  std::optional<MultipartError> error;
};

// Feeds `chunks` in order and finishes, stopping at the first error.
Parsed parse_chunks(const std::vector<std::string_view>& chunks, std::string_view boundary = kBoundary,
                    MultipartLimits limits = {}) {
  Parsed out;
  MultipartParser parser(boundary, out.recording, limits);
  for (std::string_view chunk : chunks) {
    out.error = parser.feed(chunk);
    if (out.error) return out;
  }
  out.error = parser.finish();
  return out;
}

Parsed parse(std::string_view body, std::string_view boundary = kBoundary, MultipartLimits limits = {}) {
  return parse_chunks({body}, boundary, limits);
}

// Feeds `body` in reads of `piece` bytes.
Parsed parse_in_pieces(std::string_view body, std::size_t piece, std::string_view boundary = kBoundary,
                       MultipartLimits limits = {}) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < body.size(); i += piece) chunks.push_back(body.substr(i, piece));
  return parse_chunks(chunks, boundary, limits);
}

// One part with a Content-Disposition naming it, and `data`.
std::string field(std::string_view name, std::string_view data) {
  return "--boundary\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" +
         std::string(data) + "\r\n";
}

std::string repeat(std::string_view s, std::size_t times) {
  std::string out;
  out.reserve(s.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += s;
  return out;
}

constexpr std::string_view kWebKitBoundary = "----WebKitFormBoundaryA1b2C3";

// A browser-like upload with what RFC 2046 allows around it: a preamble, a
// padded delimiter line, header names in any case, a near-delimiter inside
// binary data, and an epilogue that itself looks like a delimiter.
const std::string kSampleBody =
    "ignored preamble\r\n"
    "------WebKitFormBoundaryA1b2C3\r\n"
    "Content-Disposition: form-data; name=\"caption\"\r\n"
    "\r\n"
    "a cat\r\n"
    "------WebKitFormBoundaryA1b2C3 \t\r\n"
    "content-disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
    "CONTENT-TYPE: image/png\r\n"
    "\r\n"
    "\x89PNG\r\n\x1a\n\0\r\n------WebKitFormBoundaryA1b2C3-\r\n\r\n"
    "\r\n------WebKitFormBoundaryA1b2C3--  \r\n"
    "epilogue\r\n------WebKitFormBoundaryA1b2C3\r\n"s;

const std::string kSampleFileData = "\x89PNG\r\n\x1a\n\0\r\n------WebKitFormBoundaryA1b2C3-\r\n\r\n"s;

}  // namespace

TEST(MultipartParser, ParsesABrowserUpload) {
  auto p = parse(kSampleBody, kWebKitBoundary);
  ASSERT_FALSE(p.error) << describe(*p.error);
  EXPECT_FALSE(p.recording.out_of_order);
  EXPECT_TRUE(p.recording.body_ended);
  ASSERT_EQ(p.recording.parts.size(), 2u);
  const RecordedPart& caption = p.recording.parts[0];
  EXPECT_EQ(caption.headers.name, "caption");
  EXPECT_FALSE(caption.headers.is_file());
  EXPECT_EQ(caption.headers.content_type, "");
  EXPECT_EQ(caption.data, "a cat");
  EXPECT_TRUE(caption.ended);
  const RecordedPart& file = p.recording.parts[1];
  EXPECT_EQ(file.headers.name, "file");
  EXPECT_EQ(file.headers.filename, "cat.png");
  EXPECT_EQ(file.headers.content_type, "image/png");
  EXPECT_EQ(file.data, kSampleFileData);
  EXPECT_TRUE(file.ended);
}

TEST(MultipartParser, EverySplitInTwoOrThreeGivesTheSameEvents) {
  const std::string_view body = kSampleBody;
  const Parsed whole = parse(body, kWebKitBoundary);
  ASSERT_FALSE(whole.error);
  for (std::size_t i = 0; i <= body.size(); ++i) {
    const Parsed two = parse_chunks({body.substr(0, i), body.substr(i)}, kWebKitBoundary);
    ASSERT_FALSE(two.error) << i;
    ASSERT_EQ(two.recording, whole.recording) << i;
    for (std::size_t j = i; j <= body.size(); ++j) {
      const Parsed three = parse_chunks({body.substr(0, i), body.substr(i, j - i), body.substr(j)}, kWebKitBoundary);
      ASSERT_FALSE(three.error) << i << ' ' << j;
      ASSERT_EQ(three.recording, whole.recording) << i << ' ' << j;
    }
  }
  for (std::size_t piece = 1; piece < 8; ++piece) {
    EXPECT_EQ(parse_in_pieces(body, piece, kWebKitBoundary).recording, whole.recording) << piece;
  }
}

TEST(MultipartParser, DelimiterSplitAcrossReads) {
  // Reads end inside "\r\n--boundary", between it and its CRLF, and between
  // the two hyphens of the close.
  auto p = parse_chunks({"--bound", "ary\r", "\nContent-Disposition: form-data; name=a\r\n\r\nxy\r\n--b",
                         "oundary-", "-\r\n"});
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.recording.parts.size(), 1u);
  EXPECT_EQ(p.recording.parts[0].headers.name, "a");
  EXPECT_EQ(p.recording.parts[0].data, "xy");
  EXPECT_TRUE(p.recording.body_ended);
}

TEST(MultipartParser, BoundaryLikeTextIsData) {
  // Only "CRLF--boundary" followed by "--", CRLF or padding delimits
  // (RFC 2046's grammar); everything else here is content.
  const std::string data =
      "--boundary at the start is data\r\n"
      "--boundar\r\n"
      "\r\n--boundaryX\r\n"
      "\r\n--boundary-x\r\n"
      "\r\n--boundary\rx\r\r\n"
      "-\r\n--\r\n--b";
  const std::string body = field("file", data) + "--boundary--";
  for (std::size_t piece : {1ul, 2ul, 5ul, 11ul, body.size()}) {
    auto p = parse_in_pieces(body, piece);
    ASSERT_FALSE(p.error) << piece;
    ASSERT_EQ(p.recording.parts.size(), 1u) << piece;
    EXPECT_EQ(p.recording.parts[0].data, data) << piece;
  }
}

TEST(MultipartParser, BodyMayOpenWithTheFirstDelimiterOrAPreamble) {
  EXPECT_EQ(parse(field("a", "1") + "--boundary--").recording.parts.size(), 1u);
  // A delimiter that does not begin a line is part of the preamble.
  auto p = parse("x--boundary\r\nnot a part\r\n" + field("a", "1") + "--boundary--");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.recording.parts.size(), 1u);
  EXPECT_EQ(p.recording.parts[0].data, "1");
}

TEST(MultipartParser, EmptyPartsAndAnEmptyForm) {
  auto p = parse(field("a", "") + field("b", "") + "--boundary--");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.recording.parts.size(), 2u);
  EXPECT_EQ(p.recording.parts[1].data, "");
  // A form with no fields: browsers send just the close.
  auto empty = parse("--boundary--\r\n");
  EXPECT_FALSE(empty.error);
  EXPECT_TRUE(empty.recording.body_ended);
  EXPECT_TRUE(empty.recording.parts.empty());
}

TEST(MultipartParser, BinaryDataWithNulsAndCrlfs) {
  std::string data;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) data += static_cast<char>(b);
    data += "\r\n\r\n\0\r\0\n--\r\n-"s;
  }
  const std::string body = "--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" +
                           data + "\r\n--boundary--\r\n";
  for (std::size_t piece : {1ul, 3ul, 64ul, body.size()}) {
    auto p = parse_in_pieces(body, piece);
    ASSERT_FALSE(p.error) << piece;
    ASSERT_EQ(p.recording.parts.size(), 1u);
    EXPECT_EQ(p.recording.parts[0].data, data) << piece;
  }
}

TEST(MultipartParser, ManyNearDelimitersAreContent) {
  // Adversarial content: a prefix of the delimiter at every few bytes. The
  // search resumes at the mismatch, so this stays linear; the data must
  // still come out whole.
  const std::string data = repeat("\r\n--boundar", 20'000) + repeat("\r\n-", 20'000) + repeat("\r", 20'000);
  const std::string body =
      "--boundary\r\nContent-Disposition: form-data; name=file; filename=f\r\n\r\n" + data + "\r\n--boundary--";
  for (std::size_t piece : {3ul, 4096ul, body.size()}) {
    auto p = parse_in_pieces(body, piece);
    ASSERT_FALSE(p.error) << piece;
    ASSERT_EQ(p.recording.parts.size(), 1u);
    EXPECT_TRUE(p.recording.parts[0].data == data) << piece;  // not EXPECT_EQ: no 700 KB diff on failure
  }
}

TEST(MultipartParser, MissingClosingDelimiterIsTruncated) {
  EXPECT_EQ(parse("").error, MultipartError::truncated);
  EXPECT_EQ(parse("just a preamble\r\n").error, MultipartError::truncated);
  EXPECT_EQ(parse(field("a", "1")).error, MultipartError::truncated);
  EXPECT_EQ(parse(field("a", "1") + "--boundary").error, MultipartError::truncated);
  EXPECT_EQ(parse(field("a", "1") + "--boundary-").error, MultipartError::truncated);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data; name=a\r\n").error, MultipartError::truncated);
  // The parts seen before the end are still reported; the route discards them.
  auto p = parse(field("a", "1") + "--boundary\r\n");
  EXPECT_EQ(p.error, MultipartError::truncated);
  ASSERT_EQ(p.recording.parts.size(), 1u);
  EXPECT_TRUE(p.recording.parts[0].ended);
}

TEST(MultipartParser, EachPartNeedsAFormDataDispositionWithAName) {
  EXPECT_EQ(parse("--boundary\r\nContent-Type: text/plain\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\n\r\nx\r\n--boundary--").error, MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data; filename=\"a.png\"\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  // Two names, or two file names, would be read differently by different parsers.
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--boundary--").error,
            MultipartError::bad_disposition);
  EXPECT_EQ(parse("--boundary\r\nContent-Disposition: form-data; name=a; filename=x; filename=y\r\n\r\n"
                  "x\r\n--boundary--")
                .error,
            MultipartError::bad_disposition);
}

TEST(MultipartParser, ReadsDispositionParameters) {
  auto p = parse(
      "--boundary\r\nContent-Disposition: FORM-DATA ; NAME=file;filename=\"C:\\\\cats\\\\a \\\"b\\\".png\"; "
      "filename*=UTF-8''ignored\r\n\r\nx\r\n"
      "--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\cats\\\xea\xb3\xa0.png\"\r\n\r\n"
      "y\r\n"
      "--boundary\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n"
      "--boundary--");
  ASSERT_FALSE(p.error) << describe(*p.error);
  ASSERT_EQ(p.recording.parts.size(), 3u);
  EXPECT_EQ(p.recording.parts[0].headers.name, "file");
  // Backslash escapes quotes and backslashes (RFC 9110 quoted-pair)...
  EXPECT_EQ(p.recording.parts[0].headers.filename, "C:\\cats\\a \"b\".png");
  // ...and stays as it is before anything else, as browsers send paths.
  EXPECT_EQ(p.recording.parts[1].headers.filename, "C:\\cats\\\xea\xb3\xa0.png");
  // filename="" is a file input with no file chosen: still a file part.
  EXPECT_TRUE(p.recording.parts[2].headers.is_file());
  EXPECT_EQ(p.recording.parts[2].headers.filename, "");
}

TEST(MultipartParser, MalformedHeaderLines) {
  const auto with_headers = [](std::string headers) {
    return parse("--boundary\r\n" + headers + "\r\nx\r\n--boundary--").error;
  };
  // Obsolete line folding is not supported.
  EXPECT_EQ(with_headers("Content-Disposition: form-data;\r\n name=a\r\n"), MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=a\r\nno colon\r\n"), MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition : form-data; name=a\r\n"), MultipartError::malformed);
  EXPECT_EQ(with_headers(": form-data; name=a\r\n"), MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=a\n"), MultipartError::malformed);  // bare LF
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=\"a\0b\"\r\n"s), MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=\"a\rb\"\r\n"), MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=\"a\r\n"), MultipartError::malformed);  // open quote
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n"),
            MultipartError::malformed);
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=a\r\nContent-Type: a/b\r\ncontent-type: c/d\r\n"),
            MultipartError::malformed);
  // Unknown headers are ignored.
  EXPECT_EQ(with_headers("Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: binary\r\n"),
            std::nullopt);
}

TEST(MultipartParser, PaddingAfterADelimiterMustEndTheLine) {
  EXPECT_EQ(parse(field("a", "1") + "--boundary \t x\r\n").error, MultipartError::malformed);
  EXPECT_EQ(parse(field("a", "1") + "--boundary \r\r\n").error, MultipartError::malformed);
  auto ok = parse("--boundary   \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--boundary--");
  EXPECT_FALSE(ok.error);
}

TEST(MultipartParser, HugeHeadersAreRefused) {
  const std::string body = "--boundary\r\nContent-Disposition: form-data; name=a\r\nX-Big: " +
                           std::string(10'000, 'v') + "\r\n\r\nx\r\n--boundary--";
  EXPECT_EQ(parse(body).error, MultipartError::header_too_large);
  // Without a line end in sight, the limit still holds: the parser never
  // buffers more than max_header_bytes, whatever the reads.
  Parsed out;
  MultipartParser parser(kBoundary, out.recording);
  ASSERT_FALSE(parser.feed("--boundary\r\n"));
  std::optional<MultipartError> error;
  for (int i = 0; i < 100 && !error; ++i) {
    error = parser.feed(std::string(100, 'h'));
    EXPECT_LE(parser.buffered(), MultipartLimits{}.max_header_bytes);
  }
  EXPECT_EQ(error, MultipartError::header_too_large);
  // Exactly at the limit is fine.
  const std::string headers = "Content-Disposition: form-data; name=a\r\n\r\n";
  MultipartLimits tight{.max_header_bytes = headers.size()};
  EXPECT_FALSE(parse("--boundary\r\n" + headers + "x\r\n--boundary--", kBoundary, tight).error);
  tight.max_header_bytes -= 1;
  EXPECT_EQ(parse("--boundary\r\n" + headers + "x\r\n--boundary--", kBoundary, tight).error,
            MultipartError::header_too_large);
}

TEST(MultipartParser, TooManyParts) {
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += field("f" + std::to_string(i), "v");
  EXPECT_FALSE(parse(sixteen + "--boundary--").error);
  EXPECT_EQ(parse(sixteen + field("f16", "v") + "--boundary--").error, MultipartError::too_many_parts);
  // Refused at the 17th delimiter line, before its headers are read.
  EXPECT_EQ(parse(sixteen + "--boundary\r\n").error, MultipartError::too_many_parts);
}

TEST(MultipartParser, FieldsAreLimitedFilesAreNot) {
  const MultipartLimits limits{.max_field_bytes = 10};
  EXPECT_FALSE(parse(field("a", "12345") + field("b", "12345") + "--boundary--", kBoundary, limits).error);
  EXPECT_EQ(parse(field("a", "12345") + field("b", "123456") + "--boundary--", kBoundary, limits).error,
            MultipartError::field_too_large);
  // Refused as the bytes come, not at the end of the part.
  EXPECT_EQ(parse_chunks({field("a", std::string(11, 'x'))}, kBoundary, limits).error, MultipartError::field_too_large);
  const std::string file = "--boundary\r\nContent-Disposition: form-data; name=file; filename=a.png\r\n\r\n" +
                           std::string(1000, 'x') + "\r\n--boundary--";
  EXPECT_FALSE(parse(file, kBoundary, limits).error);
}

TEST(MultipartParser, ErrorsAreSticky) {
  MultipartRecording recording;
  MultipartParser parser(kBoundary, recording);
  EXPECT_EQ(parser.feed("--boundary\r\nno colon\r\n\r\n"), MultipartError::malformed);
  EXPECT_EQ(parser.feed(field("a", "1") + "--boundary--"), MultipartError::malformed);
  EXPECT_EQ(parser.feed(""), MultipartError::malformed);
  EXPECT_EQ(parser.finish(), MultipartError::malformed);
  EXPECT_TRUE(recording.parts.empty());
  EXPECT_FALSE(recording.body_ended);
  EXPECT_FALSE(parser.complete());
}

TEST(MultipartParser, NothingAfterTheCloseIsReported) {
  MultipartRecording recording;
  MultipartParser parser(kBoundary, recording);
  EXPECT_FALSE(parser.feed(field("a", "1") + "--boundary--"));
  EXPECT_TRUE(parser.complete());
  EXPECT_FALSE(parser.feed("\r\n" + field("b", "2") + "--boundary--"));
  EXPECT_FALSE(parser.finish());
  EXPECT_EQ(recording.parts.size(), 1u);
}

TEST(MultipartParser, QuotedBoundaryWithSpaces) {
  // RFC 2046 5.1.1's own example, preamble and epilogue included.
  const std::string content_type = "multipart/form-data; boundary=\"simple boundary\"";
  const auto boundary = boundary_from_content_type(content_type);
  ASSERT_EQ(boundary, "simple boundary");
  const std::string body =
      "This is the preamble.  It is to be ignored, though it\r\n"
      "is a handy place for composition agents to include an\r\n"
      "explanatory note to non-MIME conformant readers.\r\n"
      "\r\n"
      "--simple boundary\r\n"
      "Content-Disposition: form-data; name=\"first\"\r\n"
      "\r\n"
      "This is implicitly typed plain US-ASCII text.\r\n"
      "It does NOT end with a linebreak.\r\n"
      "--simple boundary\r\n"
      "Content-Disposition: form-data; name=\"second\"\r\n"
      "Content-type: text/plain; charset=us-ascii\r\n"
      "\r\n"
      "This is explicitly typed plain US-ASCII text.\r\n"
      "It DOES end with a linebreak.\r\n"
      "\r\n"
      "--simple boundary--\r\n"
      "\r\n"
      "This is the epilogue.  It is also to be ignored.\r\n";
  auto p = parse(body, *boundary);
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.recording.parts.size(), 2u);
  EXPECT_EQ(p.recording.parts[0].data, "This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak.");
  EXPECT_EQ(p.recording.parts[1].headers.content_type, "text/plain; charset=us-ascii");
  EXPECT_EQ(p.recording.parts[1].data, "This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n");
}

TEST(MultipartParser, AnInvalidBoundaryFailsEveryFeed) {
  MultipartRecording recording;
  MultipartParser empty("", recording);
  EXPECT_EQ(empty.feed("--\r\n"), MultipartError::malformed);
  MultipartParser too_long(std::string(71, 'b'), recording);
  EXPECT_EQ(too_long.feed(""), MultipartError::malformed);
  EXPECT_EQ(too_long.finish(), MultipartError::malformed);
}

TEST(MultipartBoundary, FromContentType) {
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=----WebKitFormBoundaryA1b2C3"),
            "----WebKitFormBoundaryA1b2C3");
  EXPECT_EQ(boundary_from_content_type("Multipart/Form-Data;BOUNDARY=abc"), "abc");
  EXPECT_EQ(boundary_from_content_type("  multipart/form-data ;  charset=utf-8 ; boundary = abc ; x=\"y;z\"  "), "abc");
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=\"a:b=c?d (e)\""), "a:b=c?d (e)");
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=\"a\\\\b\""), std::nullopt);  // '\' is no bchar
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=" + std::string(70, 'b')), std::string(70, 'b'));
}

TEST(MultipartBoundary, RefusesWhatRfc2046Does) {
  EXPECT_EQ(boundary_from_content_type("multipart/form-data"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; charset=utf-8"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=\"\""), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=" + std::string(71, 'b')), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=\"ends in space \""), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=a@b"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=\"open"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=a; boundary=b"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/form-data; boundary=a b"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type("application/x-www-form-urlencoded"), std::nullopt);
  EXPECT_EQ(boundary_from_content_type(""), std::nullopt);
}
