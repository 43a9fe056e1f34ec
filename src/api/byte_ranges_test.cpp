// RFC 9110 conditional and range requests on a byte representation.
#include "api/byte_ranges.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chattwo::api {
namespace {

using Kind = RangeRequest::Kind;

RangeRequest partial(std::uint64_t first, std::uint64_t length) { return {Kind::partial, {first, length}}; }
const RangeRequest kWhole{};
const RangeRequest kUnsatisfiable{Kind::unsatisfiable, {}};

TEST(EvaluateRange, TheThreeFormsOfOneRange) {
  EXPECT_EQ(evaluate_range("bytes=0-99", 1000), partial(0, 100));
  EXPECT_EQ(evaluate_range("bytes=100-199", 1000), partial(100, 100));
  EXPECT_EQ(evaluate_range("bytes=999-999", 1000), partial(999, 1));
  EXPECT_EQ(evaluate_range("bytes=500-", 1000), partial(500, 500));
  EXPECT_EQ(evaluate_range("bytes=0-", 1000), partial(0, 1000));
  EXPECT_EQ(evaluate_range("bytes=-1", 1000), partial(999, 1));
  EXPECT_EQ(evaluate_range("bytes=-300", 1000), partial(700, 300));
}

TEST(EvaluateRange, RangesPastTheEndAreClipped) {
  EXPECT_EQ(evaluate_range("bytes=900-5000", 1000), partial(900, 100));
  EXPECT_EQ(evaluate_range("bytes=-5000", 1000), partial(0, 1000));  // 14.1.2: longer suffix = everything
  EXPECT_EQ(evaluate_range("bytes=0-99999999999999999999999", 1000), partial(0, 1000));
  EXPECT_EQ(evaluate_range("bytes=-99999999999999999999999", 1000), partial(0, 1000));
}

TEST(EvaluateRange, StartsAtOrAfterTheEndAreUnsatisfiable) {
  EXPECT_EQ(evaluate_range("bytes=1000-", 1000), kUnsatisfiable);
  EXPECT_EQ(evaluate_range("bytes=1000-2000", 1000), kUnsatisfiable);
  EXPECT_EQ(evaluate_range("bytes=99999999999999999999999-", 1000), kUnsatisfiable);
  EXPECT_EQ(evaluate_range("bytes=-0", 1000), kUnsatisfiable);  // 14.1.1: a suffix must be non-zero
  EXPECT_EQ(evaluate_range("bytes=0-", 0), kUnsatisfiable);
  EXPECT_EQ(evaluate_range("bytes=0-0", 0), kUnsatisfiable);
}

TEST(EvaluateRange, AnEmptyRepresentationIsSentWholeForASuffix) {
  // 14.1.1 calls bytes=-n satisfiable on zero bytes, but Content-Range has
  // no way to say "none of zero": 200 with the (empty) whole it is.
  EXPECT_EQ(evaluate_range("bytes=-5", 0), kWhole);
}

TEST(EvaluateRange, SeveralRangesAreIgnored) {
  EXPECT_EQ(evaluate_range("bytes=0-1,5-6", 1000), kWhole);
  EXPECT_EQ(evaluate_range("bytes=0-1, -5", 1000), kWhole);
  EXPECT_EQ(evaluate_range("bytes=5000-,6000-", 1000), kWhole);  // even when none is satisfiable
}

TEST(EvaluateRange, ListSyntaxIsTolerated) {
  EXPECT_EQ(evaluate_range("  bytes=0-9  ", 1000), partial(0, 10));
  EXPECT_EQ(evaluate_range("bytes= 0-9", 1000), partial(0, 10));
  EXPECT_EQ(evaluate_range("bytes=0-9,", 1000), partial(0, 10));   // 5.6.1: empty list elements are allowed
  EXPECT_EQ(evaluate_range("bytes=, ,0-9", 1000), partial(0, 10));
  EXPECT_EQ(evaluate_range("Bytes=0-9", 1000), partial(0, 10));  // 14.1: units are case-insensitive
  EXPECT_EQ(evaluate_range("BYTES=0-9", 1000), partial(0, 10));
}

TEST(EvaluateRange, AnythingElseIsIgnored) {
  for (const char* bad : {"", "bytes", "bytes=", "bytes=,", "bytes=-", "bytes=a-b", "bytes=1-a", "bytes=0x10-",
                          "bytes=+1-2", "bytes=1 - 2", "bytes=1--2", "bytes=--1", "bytes=-1-2", "bytes=9-3",
                          "items=0-9", "bytes 0-9", "0-9", "bytes=0-9;x", "bytes=1,2"}) {
    EXPECT_EQ(evaluate_range(bad, 1000), kWhole) << "'" << bad << "'";
  }
}

TEST(IfNoneMatch, ListsAndStars) {
  const std::string etag = "\"abc\"";
  EXPECT_TRUE(if_none_match_hits("\"abc\"", etag));
  EXPECT_TRUE(if_none_match_hits("*", etag));
  EXPECT_TRUE(if_none_match_hits(" * ", etag));
  EXPECT_TRUE(if_none_match_hits("\"x\", \"abc\"", etag));
  EXPECT_TRUE(if_none_match_hits("\"x\",\"abc\",\"y\"", etag));
  EXPECT_TRUE(if_none_match_hits(" ,\"abc\"", etag));
  EXPECT_FALSE(if_none_match_hits("", etag));
  EXPECT_FALSE(if_none_match_hits("\"abcd\"", etag));
  EXPECT_FALSE(if_none_match_hits("\"ab\"", etag));
  EXPECT_FALSE(if_none_match_hits("abc", etag));  // not quoted: not an entity-tag
  EXPECT_FALSE(if_none_match_hits("\"x\", *", etag));
}

TEST(IfNoneMatch, ComparesWeakly) {
  // 13.1.2: If-None-Match uses the weak comparison, so W/ matches either way.
  EXPECT_TRUE(if_none_match_hits("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_hits("\"abc\"", "W/\"abc\""));
  EXPECT_FALSE(if_none_match_hits("w/\"abc\"", "\"abc\""));  // W/ is case-sensitive
}

TEST(IfNoneMatch, CommasInsideATagDoNotSplitIt) {
  EXPECT_TRUE(if_none_match_hits("\"a,b\"", "\"a,b\""));
  EXPECT_FALSE(if_none_match_hits("\"a,b\"", "\"a\""));
  EXPECT_FALSE(if_none_match_hits("\"a,b\"", "\"b\""));
}

TEST(IfNoneMatch, GarbleStopsTheMatch) {
  EXPECT_FALSE(if_none_match_hits("\"abc", "\"abc\""));                // unterminated
  EXPECT_FALSE(if_none_match_hits("junk, \"abc\"", "\"abc\""));        // the fault comes first
  EXPECT_FALSE(if_none_match_hits("\"x\"junk, \"abc\"", "\"abc\""));  // no comma after a tag
  EXPECT_FALSE(if_none_match_hits("\"a c\"", "\"a c\""));             // no spaces inside a tag
  EXPECT_TRUE(if_none_match_hits("\"abc\", junk", "\"abc\""));        // a hit before the fault stands
}

TEST(IfRange, OnlyTheSameStrongTagAllowsTheRange) {
  const std::string etag = "\"abc\"";
  EXPECT_TRUE(if_range_allows("", etag));
  EXPECT_TRUE(if_range_allows("\"abc\"", etag));
  EXPECT_TRUE(if_range_allows(" \"abc\" ", etag));
  EXPECT_FALSE(if_range_allows("\"abd\"", etag));
  EXPECT_FALSE(if_range_allows("W/\"abc\"", etag));  // 13.1.5: strong comparison
  EXPECT_FALSE(if_range_allows("\"abc\"", "W/\"abc\""));
  EXPECT_FALSE(if_range_allows("Sat, 29 Oct 1994 19:43:31 GMT", etag));  // we send no Last-Modified
  EXPECT_FALSE(if_range_allows("\"abc\", \"abc\"", etag));
}

Request get(Headers headers, Method method = Method::get) {
  Request r;
  r.method = method;
  r.path = "/img/1";
  r.headers = std::move(headers);
  return r;
}

const Representation kImage{3000, "\"v1\"", "image/png"};

TEST(PlanRangedAnswer, WholeWithoutRange) {
  const auto a = plan_ranged_answer(get({}), kImage);
  EXPECT_EQ(a.response.status, 200);
  EXPECT_EQ(a.send, (ByteRange{0, 3000}));
  EXPECT_EQ(a.response.header("Content-Type"), "image/png");
  EXPECT_EQ(a.response.header("ETag"), "\"v1\"");
  EXPECT_EQ(a.response.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(a.response.header("Content-Range"), "");
  EXPECT_TRUE(a.response.body.empty());
}

TEST(PlanRangedAnswer, PartialWithContentRange) {
  const auto a = plan_ranged_answer(get({{"range", "bytes=1000-1999"}}), kImage);
  EXPECT_EQ(a.response.status, 206);
  EXPECT_EQ(a.send, (ByteRange{1000, 1000}));
  EXPECT_EQ(a.response.header("Content-Range"), "bytes 1000-1999/3000");
  EXPECT_EQ(a.response.header("Content-Type"), "image/png");
  EXPECT_EQ(a.response.header("ETag"), "\"v1\"");

  const auto tail = plan_ranged_answer(get({{"range", "bytes=-10"}}), kImage);
  EXPECT_EQ(tail.response.header("Content-Range"), "bytes 2990-2999/3000");
  EXPECT_EQ(tail.send, (ByteRange{2990, 10}));
}

TEST(PlanRangedAnswer, UnsatisfiableIs416WithTheSize) {
  const auto a = plan_ranged_answer(get({{"range", "bytes=3000-"}}), kImage);
  EXPECT_EQ(a.response.status, 416);
  EXPECT_FALSE(a.send);
  EXPECT_EQ(a.response.header("Content-Range"), "bytes */3000");
  EXPECT_EQ(a.response.header("Content-Type"), "application/problem+json");
  EXPECT_NE(a.response.body.find("\"status\":416"), std::string::npos);
}

TEST(PlanRangedAnswer, IfNoneMatchWinsOverRange) {
  // 13.2.2: If-None-Match is evaluated before Range.
  for (const char* inm : {"\"v1\"", "W/\"v1\"", "*", "\"v0\", \"v1\""}) {
    const auto a = plan_ranged_answer(get({{"if-none-match", inm}, {"range", "bytes=5000-"}}), kImage);
    EXPECT_EQ(a.response.status, 304) << inm;
    EXPECT_FALSE(a.send);
    EXPECT_EQ(a.response.header("ETag"), "\"v1\"");
    EXPECT_EQ(a.response.header("Content-Type"), "");
    EXPECT_TRUE(a.response.body.empty());
  }
  const auto stale = plan_ranged_answer(get({{"if-none-match", "\"v0\""}}), kImage);
  EXPECT_EQ(stale.response.status, 200);
}

TEST(PlanRangedAnswer, HeadIgnoresRangeButNotIfNoneMatch) {
  const auto a = plan_ranged_answer(get({{"range", "bytes=0-9"}}, Method::head), kImage);
  EXPECT_EQ(a.response.status, 200);
  EXPECT_EQ(a.send, (ByteRange{0, 3000}));
  const auto b = plan_ranged_answer(get({{"if-none-match", "\"v1\""}}, Method::head), kImage);
  EXPECT_EQ(b.response.status, 304);
}

TEST(PlanRangedAnswer, AStaleIfRangeGetsTheWhole) {
  const auto fresh = plan_ranged_answer(get({{"range", "bytes=0-9"}, {"if-range", "\"v1\""}}), kImage);
  EXPECT_EQ(fresh.response.status, 206);
  const auto stale = plan_ranged_answer(get({{"range", "bytes=0-9"}, {"if-range", "\"v0\""}}), kImage);
  EXPECT_EQ(stale.response.status, 200);
  EXPECT_EQ(stale.send, (ByteRange{0, 3000}));
  // Even an unsatisfiable range: If-Range failing means "send it all".
  const auto gone = plan_ranged_answer(get({{"range", "bytes=9000-"}, {"if-range", "\"v0\""}}), kImage);
  EXPECT_EQ(gone.response.status, 200);
}

TEST(PlanRangedAnswer, SeveralRangesGetTheWhole) {
  const auto a = plan_ranged_answer(get({{"range", "bytes=0-9,20-29"}}), kImage);
  EXPECT_EQ(a.response.status, 200);
  EXPECT_EQ(a.send, (ByteRange{0, 3000}));
  EXPECT_EQ(a.response.header("Content-Range"), "");
}

// A reader over a string that records the reads it was asked for.
class StringReader final : public chat::BlobReader {
 public:
  StringReader(std::string bytes, std::vector<std::uint64_t>& offsets) : bytes_(std::move(bytes)), offsets_(offsets) {}
  chat::Result<std::size_t> read(std::uint64_t offset, std::span<char> out) override {
    offsets_.push_back(offset);
    if (offset >= bytes_.size()) return std::size_t{0};
    const std::size_t n = std::min<std::size_t>(out.size(), bytes_.size() - offset);
    std::copy_n(bytes_.data() + offset, n, out.data());
    return n;
  }

 private:
  std::string bytes_;
  std::vector<std::uint64_t>& offsets_;
};

std::string read_all(ResponseBody& body, std::size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  while (out.size() < body.size()) {
    auto n = body.read(out.size(), std::span<char>(buf.data(), buf.size()));
    if (!n || *n == 0) break;
    out.append(buf.data(), *n);
  }
  return out;
}

TEST(BlobRangeBody, ReadsOnlyTheRange) {
  std::vector<std::uint64_t> offsets;
  auto body = blob_range_body(std::make_unique<StringReader>("0123456789abcdef", offsets), {4, 8});
  EXPECT_EQ(body->size(), 8u);
  EXPECT_EQ(read_all(*body, 3), "456789ab");
  EXPECT_EQ(offsets, (std::vector<std::uint64_t>{4, 7, 10}));
  // Past its end it reads nothing, without asking the blob.
  char c;
  auto n = body->read(8, std::span<char>(&c, 1));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0u);
  EXPECT_EQ(offsets.size(), 3u);
}

TEST(BlobResponse, QuotesTheBlobsEtagAndStreamsTheRange) {
  std::vector<std::uint64_t> offsets;
  chat::LocalBlob blob{{16, "e1", "image/gif"}, std::make_unique<StringReader>("0123456789abcdef", offsets)};
  auto r = blob_response(get({{"range", "bytes=-4"}}), std::move(blob));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("ETag"), "\"e1\"");
  EXPECT_EQ(r.header("Content-Range"), "bytes 12-15/16");
  ASSERT_TRUE(r.stream);
  EXPECT_TRUE(offsets.empty());  // nothing is read until the server sends
  EXPECT_EQ(read_all(*r.stream, 64), "cdef");

  chat::LocalBlob again{{16, "e1", "image/gif"}, std::make_unique<StringReader>("0123456789abcdef", offsets)};
  auto cached = blob_response(get({{"if-none-match", "\"e1\""}}), std::move(again));
  EXPECT_EQ(cached.status, 304);
  EXPECT_FALSE(cached.stream);
}

}  // namespace
}  // namespace chattwo::api
