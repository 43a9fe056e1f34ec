#include "stomp/codec/parser.hpp"

#include <charconv>
#include <cstring>

namespace chattwo::stomp {
namespace {

// Undoes header escaping; false for an escape `version` does not define.
bool unescape(std::string_view in, Version version, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out += in[i];
      continue;
    }
    if (++i == in.size()) return false;
    switch (in[i]) {
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 'c': out += ':'; break;
      case 'r':
        if (version != Version::v1_2) return false;
        out += '\r';
        break;
      default: return false;  // the spec: undefined escapes are fatal
    }
  }
  return true;
}

}  // namespace

std::string_view describe(ParseError e) {
  switch (e) {
    case ParseError::frame_too_large: return "frame too large";
    case ParseError::too_many_headers: return "too many headers";
    case ParseError::line_too_long: return "command or header line too long";
    case ParseError::unknown_command: return "unknown command";
    case ParseError::malformed_header: return "malformed header";
    case ParseError::bad_escape: return "undefined escape sequence in a header";
    case ParseError::bad_content_length: return "invalid content-length";
    case ParseError::missing_nul: return "frame body not terminated by NUL";
  }
  return "malformed frame";
}

Parser::Item Parser::next() {
  if (failed_) return error_;
  for (;;) {
    switch (stage_) {
      case Stage::between_frames: {
        compact();
        if (pos_ == buffer_.size()) return NeedMore{};
        if (buffer_[pos_] == '\n') {
          ++pos_;
          return HeartBeat{};
        }
        if (buffer_[pos_] == '\r') {
          if (pos_ + 1 == buffer_.size()) return NeedMore{};
          if (buffer_[pos_ + 1] == '\n') {
            pos_ += 2;
            return HeartBeat{};
          }
        }
        frame_ = Frame{};
        content_length_ = -1;
        frame_start_ = scan_ = pos_;
        stage_ = Stage::command;
        break;
      }
      case Stage::command:
      case Stage::headers: {
        const char* base = buffer_.data();
        const void* nl = std::memchr(base + scan_, '\n', buffer_.size() - scan_);
        if (!nl) {
          scan_ = buffer_.size();
          if (buffer_.size() - frame_start_ > limits_.max_frame_bytes) return fail(ParseError::frame_too_large);
          if (buffer_.size() - pos_ > limits_.max_line_bytes) return fail(ParseError::line_too_long);
          return NeedMore{};
        }
        const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
        if (end - pos_ > limits_.max_line_bytes) return fail(ParseError::line_too_long);
        std::string_view line(base + pos_, end - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos_ = scan_ = end + 1;
        if (end + 1 - frame_start_ > limits_.max_frame_bytes) return fail(ParseError::frame_too_large);
        Item result = parse_line(line);
        if (!std::holds_alternative<NeedMore>(result)) return result;
        break;
      }
      case Stage::body: {
        std::size_t body_end;
        if (content_length_ >= 0) {
          body_end = pos_ + static_cast<std::size_t>(content_length_);
          if (body_end + 1 > buffer_.size()) return NeedMore{};
          if (buffer_[body_end] != '\0') return fail(ParseError::missing_nul);
        } else {
          const void* nul = std::memchr(buffer_.data() + scan_, '\0', buffer_.size() - scan_);
          if (!nul) {
            scan_ = buffer_.size();
            if (buffer_.size() - frame_start_ > limits_.max_frame_bytes) return fail(ParseError::frame_too_large);
            return NeedMore{};
          }
          body_end = static_cast<std::size_t>(static_cast<const char*>(nul) - buffer_.data());
          if (body_end + 1 - frame_start_ > limits_.max_frame_bytes) return fail(ParseError::frame_too_large);
        }
        frame_.body.assign(buffer_, pos_, body_end - pos_);
        pos_ = scan_ = body_end + 1;
        stage_ = Stage::between_frames;
        return std::move(frame_);
      }
    }
  }
}

// Consumes one command or header line. Returns NeedMore to go on reading,
// or an error.
Parser::Item Parser::parse_line(std::string_view line) {
  if (stage_ == Stage::command) {
    const auto command = parse_command(line);
    if (!command) return fail(ParseError::unknown_command);
    frame_.command = *command;
    stage_ = Stage::headers;
    return NeedMore{};
  }
  if (line.empty()) {  // the blank line: the body follows
    stage_ = Stage::body;
    if (content_length_ >= 0 &&
        pos_ + static_cast<std::size_t>(content_length_) + 1 - frame_start_ > limits_.max_frame_bytes) {
      return fail(ParseError::frame_too_large);  // refuse before buffering the body
    }
    return NeedMore{};
  }
  if (frame_.headers.size() == limits_.max_headers) return fail(ParseError::too_many_headers);
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || line.find('\0') != std::string_view::npos) {
    return fail(ParseError::malformed_header);
  }
  std::string name, value;
  // CONNECT and CONNECTED are never escaped, so 1.0 clients' passcodes with
  // backslashes survive (spec, "Value Encoding").
  const bool escaped = version_ != Version::v1_0 && frame_.command != Command::connect &&
                       frame_.command != Command::connected && frame_.command != Command::stomp;
  if (escaped) {
    if (!unescape(line.substr(0, colon), version_, name) || !unescape(line.substr(colon + 1), version_, value)) {
      return fail(ParseError::bad_escape);
    }
  } else {
    name.assign(line.substr(0, colon));
    value.assign(line.substr(colon + 1));
  }
  // Only the first content-length counts, as with every repeated header.
  if (name == "content-length" && content_length_ < 0) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
      return fail(ParseError::bad_content_length);
    }
    if (n > limits_.max_frame_bytes) return fail(ParseError::frame_too_large);
    content_length_ = static_cast<std::ptrdiff_t>(n);
  }
  frame_.headers.emplace_back(std::move(name), std::move(value));
  return NeedMore{};
}

// Between frames: drops consumed bytes once they are the bulk of the buffer,
// so a connection that always has a partial frame in flight still keeps its
// buffer near the size of one frame.
void Parser::compact() {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = scan_ = frame_start_ = 0;
  } else if (pos_ > 4096 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = scan_ = frame_start_ = 0;  // between frames, all three are at the same place
  }
}

}  // namespace chattwo::stomp
