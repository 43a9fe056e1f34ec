// libFuzzer target for the multipart/form-data parser. Beyond "never
// crashes, never hangs": the outcome must not depend on how the body is
// split into reads, the parser never holds more than its header limit, and
// every body it accepts, written out again, parses to the same parts.
//   cmake --preset fuzz && cmake --build --preset fuzz --target multipart_parser_fuzz
//   build/fuzz/bin/multipart_parser_fuzz -max_total_time=60 tests/fuzz/corpus/multipart
//
// Input: three control bytes, then the body. Byte 0 picks the boundary,
// byte 1 the size of the reads in one of the runs, byte 2 where another run
// splits the body in two. The body's first line is also tried as a
// Content-Type value.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/multipart_parser.hpp"
#include "api/test_multipart_recording.hpp"

using namespace chattwo::api;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// A one-letter boundary makes near-delimiters cheap for the fuzzer to find;
// the others are what browsers, curl and RFC 2046's example send.
constexpr std::string_view kBoundaries[] = {"b", "boundary", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
                                            "simple boundary"};

// Small limits, so that inputs of a few hundred bytes reach every one.
constexpr MultipartLimits kLimits{.max_header_bytes = 256, .max_parts = 8, .max_field_bytes = 512};

struct Outcome {
  MultipartRecording recording;
  std::optional<MultipartError> error;
};

Outcome parse(std::string_view boundary, const std::vector<std::string_view>& chunks) {
  Outcome out;
  MultipartParser parser(boundary, out.recording, kLimits);
  for (std::string_view chunk : chunks) {
    out.error = parser.feed(chunk);
    check(parser.buffered() <= kLimits.max_header_bytes);
    if (out.error) break;
  }
  if (!out.error) out.error = parser.finish();
  check(!out.recording.out_of_order);
  check(out.recording.body_ended == !out.error);
  return out;
}

// The same outcome. Only when the field limit broke may the data differ:
// that error comes while data is reported, so how much of it got out
// first depends on the reads.
bool same(const Outcome& a, const Outcome& b) {
  if (a.error != b.error) return false;
  if (a.error != MultipartError::field_too_large) return a.recording == b.recording;
  if (a.recording.parts.size() != b.recording.parts.size()) return false;
  for (std::size_t i = 0; i < a.recording.parts.size(); ++i) {
    if (a.recording.parts[i].headers != b.recording.parts[i].headers) return false;
  }
  return true;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// Writes the parts out as a client would, with the same boundary.
std::string serialize(std::string_view boundary, const MultipartRecording& recording) {
  std::string body;
  for (const RecordedPart& part : recording.parts) {
    body += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=" + quoted(part.headers.name);
    if (part.headers.filename) body += "; filename=" + quoted(*part.headers.filename);
    body += "\r\n";
    if (!part.headers.content_type.empty()) body += "Content-Type: " + part.headers.content_type + "\r\n";
    body += "\r\n" + part.data + "\r\n";
  }
  return body + "--" + std::string(boundary) + "--\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::string_view boundary = kBoundaries[data[0] % std::size(kBoundaries)];
  const std::size_t read_size = 1 + data[1] % 32;
  const std::string_view body(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::size_t split = body.size() * data[2] / 255;

  // The body's first line doubles as a Content-Type header value: any
  // boundary read from it must be one the parser accepts.
  if (const auto from_header = boundary_from_content_type(body.substr(0, body.find('\n')))) {
    MultipartRecording unused;
    MultipartParser empty_form(*from_header, unused, kLimits);
    check(!empty_form.feed("--" + *from_header + "--"));
    check(empty_form.complete());
  }

  const Outcome whole = parse(boundary, {body});
  check(same(whole, parse(boundary, {body.substr(0, split), body.substr(split)})));
  std::vector<std::string_view> reads;
  for (std::size_t i = 0; i < body.size(); i += read_size) reads.push_back(body.substr(i, read_size));
  check(same(whole, parse(boundary, reads)));

  if (!whole.error) {
    const std::string again = serialize(boundary, whole.recording);
    const Outcome reparsed = parse(boundary, {again});
    // The rewritten headers can be longer (quotes, escapes) than the ones
    // sent; past the limit that is no finding.
    if (reparsed.error != MultipartError::header_too_large) {
      check(!reparsed.error);
      check(reparsed.recording == whole.recording);
    }
  }
  return 0;
}
