#pragma once
// Incremental STOMP frame parser: feed it bytes as they arrive, in any
// split; take out frames and heart-beats. Pure: no I/O, no allocation per
// byte, and linear in the input however it is split (it remembers where it
// stopped scanning).
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "stomp/codec/frame.hpp"

namespace chattwo::stomp {

struct ParserLimits {
  std::size_t max_frame_bytes = 64 * 1024;  // API.md: a frame over 64 KiB is a protocol violation
  std::size_t max_headers = 32;             // more than any client sends; bounds per-frame work
  std::size_t max_line_bytes = 8 * 1024;    // one command or header line (a bearer token fits easily)
};

enum class ParseError {
  frame_too_large,
  too_many_headers,
  line_too_long,
  unknown_command,
  malformed_header,     // no ':' or a NUL in a header line
  bad_escape,           // an escape sequence the version does not define
  bad_content_length,
  missing_nul,          // the byte after content-length bytes of body is not NUL
};

/// Words for an ERROR frame's message header.
std::string_view describe(ParseError e);

struct NeedMore {};
struct HeartBeat {};  // an EOL between frames

class Parser {
 public:
  explicit Parser(ParserLimits limits = {}) : limits_(limits) {}

  /// Header escaping of the frames to come (set once CONNECT is answered).
  void set_version(Version v) { version_ = v; }

  /// Appends received bytes.
  void feed(std::string_view bytes) { buffer_.append(bytes); }

  using Item = std::variant<NeedMore, HeartBeat, Frame, ParseError>;
  /// The next complete item. After a ParseError the stream cannot be
  /// trusted: every later call returns the same error.
  Item next();

  /// Frees the buffer when nothing is pending in it: an idle connection
  /// then holds no parse buffer (call before waiting for more input).
  void release_idle_buffer() {
    if (pos_ == buffer_.size() && stage_ == Stage::between_frames) {
      std::string().swap(buffer_);
      pos_ = scan_ = frame_start_ = 0;
    }
  }

  /// Bytes held (for memory accounting).
  std::size_t buffered() const { return buffer_.size(); }

 private:
  enum class Stage { between_frames, command, headers, body };

  Item fail(ParseError e) {
    error_ = e;
    failed_ = true;
    return e;
  }
  Item parse_line(std::string_view line);
  void compact();

  const ParserLimits limits_;
  Version version_ = Version::v1_2;
  std::string buffer_;
  std::size_t pos_ = 0;          // first byte not yet consumed
  std::size_t scan_ = 0;         // where the search for the next '\n' or '\0' resumes
  std::size_t frame_start_ = 0;  // where the current frame began
  Stage stage_ = Stage::between_frames;
  Frame frame_;                  // the frame being read
  std::ptrdiff_t content_length_ = -1;
  bool failed_ = false;
  ParseError error_ = ParseError::frame_too_large;
};

}  // namespace chattwo::stomp
