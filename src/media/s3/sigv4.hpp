#pragma once
// AWS Signature Version 4, as pure functions: canonical request, string to
// sign, signature, Authorization header and presigned URL query. No I/O and
// no clock: the caller passes the time, so tests can replay AWS's published
// examples byte for byte. SHA-256 and HMAC-SHA256 come from libsodium.
//
// Written for S3 but usable for any service: the canonical URI is passed
// already encoded (S3 encodes each path segment once; other services
// normalise and encode twice, which is the caller's business).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chattwo::media::s3::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

/// Where a signature is valid: "20150830/us-east-1/s3/aws4_request".
struct Scope {
  std::string region;   // "us-east-1"
  std::string service;  // "s3"
};

/// A request as SigV4 sees it.
struct Request {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // the path, already URI-encoded: "/bucket/img/a%20b.jpg"; "/" at least
  // Query parameters, not encoded (sigv4 encodes and sorts them). An empty
  // value signs as "name=" (S3's "?lifecycle").
  std::vector<std::pair<std::string, std::string>> query;
  // Headers to sign, any case; they must include "host". x-amz-date is
  // the caller's to add (authorization() does not add it).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
/// SHA-256 of nothing: the payload hash of a request without a body.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

/// RFC 3986 percent-encoding as SigV4 wants it: A-Z a-z 0-9 - . _ ~ stay,
/// everything else becomes %XX (upper-case hex); '/' stays when `keep_slash`.
std::string uri_encode(std::string_view text, bool keep_slash);

/// "20150830T123600Z" for a Unix time in seconds (UTC).
std::string amz_date(std::int64_t unix_s);

/// "host;x-amz-date": the lower-cased, sorted names of the request's headers.
std::string signed_headers(const Request& request);

/// The canonical request (method, URI, query, headers, signed headers,
/// payload hash; newline-separated).
std::string canonical_request(const Request& request);

/// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>".
std::string string_to_sign(std::string_view amz_date, const Scope& scope, std::string_view canonical_request);

/// "20150830/us-east-1/service/aws4_request" for an amz_date.
std::string credential_scope(std::string_view amz_date, const Scope& scope);

/// The hex signature of `string_to_sign` with the key derived from the
/// secret, the date of `amz_date`, the region and the service.
std::string signature(const Credentials& credentials, std::string_view amz_date, const Scope& scope,
                      std::string_view string_to_sign);

/// The value of the Authorization header for `request` at `amz_date`.
std::string authorization(const Credentials& credentials, const Scope& scope, std::string_view amz_date,
                          const Request& request);

/// The query string of a presigned URL for `request` (its method, URI,
/// own query parameters and host header; payload UNSIGNED-PAYLOAD), valid
/// `expires_s` seconds from `amz_date`: its own parameters and the X-Amz-*
/// ones, encoded and sorted, ending with X-Amz-Signature. Append it to the
/// URL after '?'.
std::string presign_query(const Credentials& credentials, const Scope& scope, std::string_view amz_date,
                          std::int64_t expires_s, const Request& request);

}  // namespace chattwo::media::s3::sigv4
