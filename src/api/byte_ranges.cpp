#include "api/byte_ranges.hpp"

#include <algorithm>
#include <limits>

#include "api/problem.hpp"

namespace chattwo::api {
namespace {

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 1*DIGIT, saturating at 2^64-1; nullopt for an empty or non-digit text.
std::optional<std::uint64_t> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    v = v > (kMaxU64 - d) / 10 ? kMaxU64 : v * 10 + d;
  }
  return v;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// One entity-tag at the front of `s` (RFC 9110 8.8.3: [W/] DQUOTE *etagc
// DQUOTE): returns it with its quotes and whether it was weak, and removes
// it from `s`; nullopt when `s` does not start with one.
struct EntityTag {
  std::string_view opaque;  // with the quotes
  bool weak = false;
};
std::optional<EntityTag> take_entity_tag(std::string_view& s) {
  EntityTag tag;
  std::string_view rest = s;
  if (rest.starts_with("W/")) {
    tag.weak = true;
    rest.remove_prefix(2);
  }
  if (!rest.starts_with('"')) return std::nullopt;
  const auto close = rest.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  for (std::size_t i = 1; i < close; ++i) {
    const auto c = static_cast<unsigned char>(rest[i]);
    // etagc = %x21 / %x23-7E / obs-text: no controls, no spaces.
    if (c <= 0x20 || c == 0x7f) return std::nullopt;
  }
  tag.opaque = rest.substr(0, close + 1);
  s = rest.substr(close + 1);
  return tag;
}

std::string strip_weak(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  return std::string(etag);
}

std::string content_range(ByteRange r, std::uint64_t size) {
  return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.first + r.length - 1) + "/" +
         std::to_string(size);
}

// Bytes `range_` of an open blob, read at offsets relative to the range.
class BlobRangeBody final : public ResponseBody {
 public:
  BlobRangeBody(std::unique_ptr<chat::BlobReader> reader, ByteRange range)
      : reader_(std::move(reader)), range_(range) {}

  std::uint64_t size() const override { return range_.length; }

  chat::Result<std::size_t> read(std::uint64_t offset, std::span<char> out) override {
    if (offset >= range_.length) return std::size_t{0};
    const auto left = range_.length - offset;
    if (out.size() > left) out = out.first(static_cast<std::size_t>(left));
    return reader_->read(range_.first + offset, out);
  }

 private:
  std::unique_ptr<chat::BlobReader> reader_;
  ByteRange range_;
};

}  // namespace

RangeRequest evaluate_range(std::string_view range, std::uint64_t size) {
  const RangeRequest whole{};
  range = trim_ows(range);
  const auto eq = range.find('=');
  if (eq == std::string_view::npos || !equals_ignoring_case(trim_ows(range.substr(0, eq)), "bytes")) return whole;

  // range-set = 1#range-spec: exactly one non-empty element is served.
  std::string_view spec;
  std::size_t specs = 0;
  std::string_view rest = range.substr(eq + 1);
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view element = trim_ows(rest.substr(0, comma));
    if (!element.empty()) {
      spec = element;
      ++specs;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (specs != 1) return whole;

  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  if (dash == 0) {
    // suffix-range: the last n bytes.
    const auto n = parse_digits(spec.substr(1));
    if (!n) return whole;
    if (*n == 0) return {RangeRequest::Kind::unsatisfiable, {}};
    if (size == 0) return whole;
    const std::uint64_t length = std::min(*n, size);
    return {RangeRequest::Kind::partial, {size - length, length}};
  }
  const auto first = parse_digits(spec.substr(0, dash));
  if (!first) return whole;
  std::uint64_t last = kMaxU64;
  if (dash + 1 < spec.size()) {
    const auto parsed = parse_digits(spec.substr(dash + 1));
    if (!parsed || *parsed < *first) return whole;  // 14.1.1: last < first makes the range-spec invalid
    last = *parsed;
  }
  if (*first >= size) return {RangeRequest::Kind::unsatisfiable, {}};
  last = std::min(last, size - 1);
  return {RangeRequest::Kind::partial, {*first, last - *first + 1}};
}

bool if_none_match_hits(std::string_view if_none_match, std::string_view etag) {
  std::string_view s = trim_ows(if_none_match);
  if (s == "*") return true;
  const std::string wanted = strip_weak(etag);
  while (true) {
    while (!s.empty() && (is_ows(s.front()) || s.front() == ',')) s.remove_prefix(1);
    if (s.empty()) return false;
    const auto tag = take_entity_tag(s);
    if (!tag) return false;
    if (tag->opaque == wanted) return true;
    s = trim_ows(s);
    if (!s.empty() && s.front() != ',') return false;
  }
}

bool if_range_allows(std::string_view if_range, std::string_view etag) {
  std::string_view s = trim_ows(if_range);
  if (s.empty()) return true;
  const auto tag = take_entity_tag(s);
  return tag && !tag->weak && s.empty() && !etag.starts_with("W/") && tag->opaque == etag;
}

RangedAnswer plan_ranged_answer(const Request& req, const Representation& rep) {
  RangedAnswer out;
  Response& r = out.response;
  if (if_none_match_hits(req.header("if-none-match"), rep.etag)) {
    r.status = 304;
    r.set_header("ETag", rep.etag);
    return out;
  }

  RangeRequest wanted;
  if (req.method == Method::get && if_range_allows(req.header("if-range"), rep.etag)) {
    wanted = evaluate_range(req.header("range"), rep.size);
  }
  switch (wanted.kind) {
    case RangeRequest::Kind::unsatisfiable:
      r = make_problem(416, "range-not-satisfiable", "Range not satisfiable",
                       "the range starts at or after the end of the " + std::to_string(rep.size) + " bytes");
      r.set_header("Content-Range", "bytes */" + std::to_string(rep.size));
      break;
    case RangeRequest::Kind::partial:
      r.status = 206;
      r.set_header("Content-Type", rep.content_type);
      r.set_header("Content-Range", content_range(wanted.range, rep.size));
      out.send = wanted.range;
      break;
    case RangeRequest::Kind::whole:
      r.status = 200;
      r.set_header("Content-Type", rep.content_type);
      out.send = ByteRange{0, rep.size};
      break;
  }
  r.set_header("ETag", rep.etag);
  r.set_header("Accept-Ranges", "bytes");
  return out;
}

std::shared_ptr<ResponseBody> blob_range_body(std::unique_ptr<chat::BlobReader> reader, ByteRange range) {
  return std::make_shared<BlobRangeBody>(std::move(reader), range);
}

Response blob_response(const Request& req, chat::LocalBlob blob) {
  const Representation rep{blob.info.size, "\"" + blob.info.etag + "\"", blob.info.content_type};
  RangedAnswer answer = plan_ranged_answer(req, rep);
  if (answer.send) answer.response.stream = blob_range_body(std::move(blob.reader), *answer.send);
  return std::move(answer.response);
}

}  // namespace chattwo::api
