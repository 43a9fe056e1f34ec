#pragma once
// GET and HEAD of a byte representation (an image) with the conditional and
// range rules of RFC 9110: If-None-Match -> 304 (13.1.2), one Range ->
// 206 with Content-Range, an unsatisfiable one -> 416 (14.1-14.4), If-Range
// (13.1.5). Pure: no I/O. Only single ranges are served; a request for
// several gets the whole representation with 200, which 14.2 allows (a
// server may ignore Range), and which spares us multipart/byteranges.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "chat/blob_store.hpp"

namespace chattwo::api {

/// Bytes [first, first + length) of a representation.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
  bool operator==(const ByteRange&) const = default;
};

/// What a Range header field asks of a representation of some size.
struct RangeRequest {
  enum class Kind {
    whole,          // no Range, or one we ignore (another unit, malformed, several ranges): 200
    partial,        // one satisfiable range: 206 with `range`
    unsatisfiable,  // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::whole;
  ByteRange range;  // partial only: clipped to the representation, never empty
  bool operator==(const RangeRequest&) const = default;
};

/// Reads a Range field value (`bytes=a-b`, `bytes=a-`, `bytes=-n`; unit
/// case-insensitive, whitespace around list elements and empty elements
/// allowed, as RFC 9110 5.6.1 asks) against a representation of `size`
/// bytes. Numbers too large for 64 bits saturate, so they clip like any
/// other number beyond the end. An empty representation has no range to
/// send (a 206 cannot say "zero bytes"): `bytes=-n` then means whole.
RangeRequest evaluate_range(std::string_view range, std::uint64_t size);

/// True when an If-None-Match field value is "*" or lists `etag` (a quoted
/// entity-tag such as "\"abc\""), compared weakly as 13.1.2 requires (W/
/// ignored on both sides). A malformed list matches nothing from the fault
/// on, so a garbled header costs a full answer, never a wrong 304.
bool if_none_match_hits(std::string_view if_none_match, std::string_view etag);

/// True when a Range may be honoured under an If-Range field value: the
/// field is absent, or it is a strong entity-tag equal to `etag` (strong
/// comparison, 13.1.5). A date or a weak tag never matches (we send no
/// Last-Modified), so the whole representation goes out.
bool if_range_allows(std::string_view if_range, std::string_view etag);

/// What a GET or HEAD is about.
struct Representation {
  std::uint64_t size = 0;
  std::string etag;          // strong, quoted: "\"5f3a...\""
  std::string content_type;  // e.g. "image/jpeg"
};

/// The answer to a GET or HEAD of a representation, without its bytes.
struct RangedAnswer {
  Response response;             // status and headers; a problem+json body for 416
  std::optional<ByteRange> send;  // the bytes the body carries: nullopt for 304 and 416
};

/// Decides the answer to `req` (GET or HEAD; its If-None-Match, Range and
/// If-Range) for `rep`, in the order of RFC 9110 13.2.2: 304 when
/// If-None-Match hits; then, for GET only (14.2: Range is defined for GET
/// alone), 416 or 206 per Range unless If-Range forbids; else 200 with all
/// bytes. Every answer carries ETag and Accept-Ranges: bytes; 200 and 206
/// carry Content-Type, 206 and 416 Content-Range. The caller adds its
/// Cache-Control (a 304 must repeat it, 15.4.5).
RangedAnswer plan_ranged_answer(const Request& req, const Representation& rep);

/// A ResponseBody for bytes `range` of what `reader` reads.
std::shared_ptr<ResponseBody> blob_range_body(std::unique_ptr<chat::BlobReader> reader, ByteRange range);

/// plan_ranged_answer for a blob the process serves itself, with the bytes
/// to send streamed from its reader (blob.info.etag is quoted here). The
/// reader is only read later, by the server, on a storage worker.
Response blob_response(const Request& req, chat::LocalBlob blob);

}  // namespace chattwo::api
