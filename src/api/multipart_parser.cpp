#include "api/multipart_parser.hpp"

#include <cstring>
#include <vector>

#include "base/utf8.hpp"

namespace chattwo::api {
namespace {

// RFC 2046 5.1.1: "Boundary delimiters must not appear within the
// encapsulated material, and must be no longer than 70 characters, not
// counting the two leading hyphens."
constexpr std::size_t kMaxBoundaryChars = 70;

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Controls other than HTAB have no place in a header line (RFC 9110 5.5),
// and a NUL or CR smuggled into a file name is trouble for whoever logs or
// stores it later.
bool is_ctl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// RFC 9110 5.6.2 tchar: what a header name is made of.
bool is_tchar(char c) { return is_alnum(c) || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr); }

// RFC 2046 5.1.1 bchars (space included; it may not end a boundary).
bool is_bchar(char c) { return is_alnum(c) || (c != '\0' && std::strchr("'()+_,-./:=? ", c) != nullptr); }

bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > kMaxBoundaryChars || b.back() == ' ') return false;
  for (char c : b) {
    if (!is_bchar(c)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

struct Parameter {
  std::string name;  // lower case: parameter names are case-insensitive
  std::string value;
};

// A header value of the form `main *( ";" name "=" value )`, value a token
// or a quoted string, as Content-Type and Content-Disposition are.
struct ParameterizedValue {
  std::string_view main;
  std::vector<Parameter> parameters;
};

// Reads a quoted string starting after its opening quote; advances `i`
// past the closing one. Backslash escapes only `"` and `\`: browsers
// (WHATWG "multipart/form-data encoding") do not escape backslashes in file
// names, so "C:\cat.png" must keep its backslash, while a client that does
// follow RFC 9110's quoted-pair still gets its quotes through.
std::optional<std::string> read_quoted(std::string_view text, std::size_t& i) {
  std::string value;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"') return value;
    if (c == '\\' && i < text.size() && (text[i] == '"' || text[i] == '\\')) {
      value += text[i++];
      continue;
    }
    value += c;
  }
  return std::nullopt;  // no closing quote
}

// nullopt for anything that does not have that shape. Tolerates what
// clients in the wild send: spaces around ';' and '=', empty parameters.
std::optional<ParameterizedValue> parse_parameterized(std::string_view text) {
  ParameterizedValue out;
  const std::size_t first_semicolon = text.find(';');
  out.main = trim(text.substr(0, first_semicolon));
  std::size_t i = first_semicolon == std::string_view::npos ? text.size() : first_semicolon;
  const auto skip_spaces = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  while (i < text.size()) {  // here text[i] is ';'
    ++i;
    skip_spaces();
    if (i == text.size() || text[i] == ';') continue;
    const std::size_t name_start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';' && !is_space(text[i])) ++i;
    Parameter p;
    p.name = base::ascii_lower(text.substr(name_start, i - name_start));
    skip_spaces();
    if (i == text.size() || text[i] != '=') return std::nullopt;
    ++i;
    skip_spaces();
    if (i < text.size() && text[i] == '"') {
      ++i;
      auto quoted = read_quoted(text, i);
      if (!quoted) return std::nullopt;
      p.value = std::move(*quoted);
    } else {
      const std::size_t value_start = i;
      while (i < text.size() && text[i] != ';' && text[i] != '"' && !is_space(text[i])) ++i;
      p.value.assign(text.substr(value_start, i - value_start));
      if (p.value.empty()) return std::nullopt;
    }
    skip_spaces();
    if (i < text.size() && text[i] != ';') return std::nullopt;
    out.parameters.push_back(std::move(p));
  }
  return out;
}

// A parameter that must appear at most once: two different values for the
// same name are ambiguous, and different readers would pick differently.
struct Lookup {
  const std::string* value = nullptr;  // null when absent
  bool repeated = false;
};

Lookup find_parameter(const std::vector<Parameter>& parameters, std::string_view name) {
  Lookup found;
  for (const auto& p : parameters) {
    if (p.name != name) continue;
    if (found.value) found.repeated = true;
    found.value = &p.value;
  }
  return found;
}

// Fills `out` from a header block: lines each ending in CRLF, without the
// blank line that ends the block.
std::optional<MultipartError> parse_part_headers(std::string_view block, PartHeaders& out) {
  std::optional<std::string_view> disposition;
  bool have_type = false;
  while (!block.empty()) {
    const std::size_t end = block.find("\r\n");
    if (end == std::string_view::npos) return MultipartError::malformed;  // a line ended by a bare LF
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(end + 2);
    // Obsolete line folding (RFC 9110 5.5): RFC 7578 parts never need it.
    if (line.empty() || is_space(line.front())) return MultipartError::malformed;
    for (char c : line) {
      if (is_ctl(c)) return MultipartError::malformed;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return MultipartError::malformed;
    const std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!is_tchar(c)) return MultipartError::malformed;  // also no space before the colon
    }
    const std::string_view value = trim(line.substr(colon + 1));
    const std::string lower_name = base::ascii_lower(name);
    if (lower_name == "content-disposition") {
      if (disposition) return MultipartError::malformed;
      disposition = value;
    } else if (lower_name == "content-type") {
      if (have_type) return MultipartError::malformed;
      have_type = true;
      out.content_type.assign(value);
    }
  }
  if (!disposition) return MultipartError::bad_disposition;
  const auto parsed = parse_parameterized(*disposition);
  if (!parsed) return MultipartError::malformed;
  if (base::ascii_lower(parsed->main) != "form-data") return MultipartError::bad_disposition;
  const Lookup name = find_parameter(parsed->parameters, "name");
  if (!name.value || name.value->empty() || name.repeated) return MultipartError::bad_disposition;
  out.name = *name.value;
  // RFC 7578 4.2: filename* (RFC 5987) "MUST NOT be used", so only
  // filename counts; filename* is ignored like any unknown parameter.
  const Lookup filename = find_parameter(parsed->parameters, "filename");
  if (filename.repeated) return MultipartError::bad_disposition;
  if (filename.value) out.filename = *filename.value;
  return std::nullopt;
}

}  // namespace

std::string_view describe(MultipartError e) {
  switch (e) {
    case MultipartError::malformed: return "malformed multipart/form-data body";
    case MultipartError::header_too_large: return "a part's headers are too large";
    case MultipartError::too_many_parts: return "too many parts in the multipart body";
    case MultipartError::field_too_large: return "the form fields are too large";
    case MultipartError::bad_disposition: return "a part lacks Content-Disposition: form-data with a name";
    case MultipartError::truncated: return "the multipart body ends before its closing boundary";
  }
  return "malformed multipart/form-data body";
}

std::optional<std::string> boundary_from_content_type(std::string_view content_type) {
  const auto parsed = parse_parameterized(content_type);
  if (!parsed || base::ascii_lower(parsed->main) != "multipart/form-data") return std::nullopt;
  const Lookup boundary = find_parameter(parsed->parameters, "boundary");
  if (!boundary.value || boundary.repeated || !valid_boundary(*boundary.value)) return std::nullopt;
  return *boundary.value;
}

MultipartParser::MultipartParser(std::string_view boundary, MultipartSink& sink, MultipartLimits limits)
    : sink_(sink), limits_(limits), delimiter_("\r\n--" + std::string(boundary)) {
  // RFC 2046: the CRLF before a delimiter belongs to it, but the body may
  // open with the first delimiter line itself. Start as if a CRLF had been
  // seen, so that case needs no code of its own.
  matched_ = 2;
  if (!valid_boundary(boundary)) fail(MultipartError::malformed);
}

std::optional<MultipartError> MultipartParser::feed(std::string_view chunk) {
  std::size_t pos = 0;
  while (pos < chunk.size()) {
    switch (state_) {
      case State::failed: return error_;
      case State::epilogue: return std::nullopt;
      case State::preamble:
      case State::part_data: pos = scan_content(chunk, pos); break;
      case State::headers: pos = read_headers(chunk, pos); break;
      case State::after_delimiter:
      case State::after_dash:
      case State::after_cr:
      case State::padding:
      case State::padding_cr:
        if (classify_delimiter(chunk[pos])) ++pos;
        break;
    }
  }
  return error_;
}

std::optional<MultipartError> MultipartParser::finish() {
  if (state_ == State::failed || state_ == State::epilogue) return error_;
  return fail(MultipartError::truncated);
}

// Content runs up to the next "CRLF--boundary". The delimiter's only CR is
// its first byte, so the search jumps from CR to CR (memchr) and, after a
// mismatch, resumes at the byte that mismatched: no byte is compared more
// than twice, however many near-delimiters the input holds. A delimiter
// prefix at the end of a chunk is held as a count (its bytes are
// delimiter_'s), not copied.
std::size_t MultipartParser::scan_content(std::string_view chunk, std::size_t pos) {
  if (matched_ > 0) {
    while (matched_ < delimiter_.size() && pos < chunk.size() && chunk[pos] == delimiter_[matched_]) {
      ++matched_;
      ++pos;
    }
    if (matched_ == delimiter_.size()) {
      state_ = State::after_delimiter;
      return pos;
    }
    if (pos == chunk.size()) return pos;
    // Not a delimiter after all: the held bytes were content. None of them
    // can start another delimiter, as only the first is a CR.
    if (!emit_content(std::string_view(delimiter_).substr(0, matched_))) return pos;
    matched_ = 0;
  }
  const std::size_t start = pos;
  while (pos < chunk.size()) {
    const void* cr = std::memchr(chunk.data() + pos, '\r', chunk.size() - pos);
    if (cr == nullptr) {
      pos = chunk.size();
      break;
    }
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(cr) - chunk.data());
    std::size_t k = 1;
    while (k < delimiter_.size() && at + k < chunk.size() && chunk[at + k] == delimiter_[k]) ++k;
    if (k == delimiter_.size() || at + k == chunk.size()) {
      if (!emit_content(chunk.substr(start, at - start))) return at;
      matched_ = k;
      if (k == delimiter_.size()) state_ = State::after_delimiter;
      return at + k;
    }
    pos = at + k;
  }
  emit_content(chunk.substr(start, pos - start));
  return pos;
}

// One byte after a full "CRLF--boundary". RFC 2046's grammar makes it a
// delimiter only when "--" (the close) or transport padding and CRLF
// follow; "--boundaryX" is content. Once padding starts, the line can only
// be a delimiter: anything but more padding and CRLF is malformed, which
// saves holding an unbounded run of spaces in case it turns out to be data.
// Returns whether `c` was consumed.
bool MultipartParser::classify_delimiter(char c) {
  switch (state_) {
    case State::after_delimiter:
      if (c == '-') {
        state_ = State::after_dash;
      } else if (c == '\r') {
        state_ = State::after_cr;
      } else if (is_space(c)) {
        state_ = State::padding;
      } else {
        not_a_delimiter({});
        return false;
      }
      return true;
    case State::after_dash:
      if (c != '-') {
        not_a_delimiter("-");
        return false;
      }
      matched_ = 0;
      if (content_state_ == State::part_data) sink_.on_part_end();
      state_ = State::epilogue;  // RFC 2046: what follows the close is ignored
      sink_.on_body_end();
      return true;
    case State::after_cr:
      if (c != '\n') {
        not_a_delimiter("\r");  // that CR can't start a delimiter: it is not followed by LF
        return false;
      }
      start_part();
      return true;
    case State::padding:
      if (c == '\r') {
        state_ = State::padding_cr;
      } else if (!is_space(c)) {
        fail(MultipartError::malformed);
      }
      return true;
    case State::padding_cr:
      if (c == '\n') {
        start_part();
      } else {
        fail(MultipartError::malformed);
      }
      return true;
    default: return true;  // not reached: feed() calls this in the states above only
  }
}

// The held delimiter, and `held_after` (the byte read after it), were
// content; the byte at hand is scanned again as content.
void MultipartParser::not_a_delimiter(std::string_view held_after) {
  state_ = content_state_;
  const std::size_t held = matched_;
  matched_ = 0;
  if (emit_content(std::string_view(delimiter_).substr(0, held))) emit_content(held_after);
}

// Returns false when the bytes broke a limit (the parser has failed).
bool MultipartParser::emit_content(std::string_view bytes) {
  if (bytes.empty() || content_state_ != State::part_data) return true;  // the preamble is dropped
  if (!in_file_part_) {
    field_bytes_ += bytes.size();
    if (field_bytes_ > limits_.max_field_bytes) {
      fail(MultipartError::field_too_large);
      return false;
    }
  }
  sink_.on_part_data(bytes);
  return true;
}

// A delimiter line ended: the part before it (if any) is complete and a
// header block follows.
void MultipartParser::start_part() {
  matched_ = 0;
  if (content_state_ == State::part_data) sink_.on_part_end();
  if (++parts_ > limits_.max_parts) {
    fail(MultipartError::too_many_parts);
    return;
  }
  header_block_.clear();
  line_start_ = 0;
  state_ = State::headers;
}

// Collects header lines up to the blank one. The limit is checked before
// appending, so a header block never holds more than max_header_bytes
// however it is split, and the check does not depend on the split either.
std::size_t MultipartParser::read_headers(std::string_view chunk, std::size_t pos) {
  while (pos < chunk.size()) {
    const void* lf = std::memchr(chunk.data() + pos, '\n', chunk.size() - pos);
    const std::size_t end =
        lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - chunk.data()) + 1 : chunk.size();
    if (header_block_.size() + (end - pos) > limits_.max_header_bytes) {
      fail(MultipartError::header_too_large);
      return end;
    }
    header_block_.append(chunk.substr(pos, end - pos));
    pos = end;
    if (!lf) break;
    if (header_block_.size() - line_start_ == 2 && header_block_[line_start_] == '\r') {
      header_block_.resize(line_start_);  // the blank line ends the block
      begin_part();
      return pos;
    }
    line_start_ = header_block_.size();
  }
  return pos;
}

void MultipartParser::begin_part() {
  PartHeaders part;
  if (auto e = parse_part_headers(header_block_, part)) {
    fail(*e);
    return;
  }
  header_block_.clear();
  line_start_ = 0;
  in_file_part_ = part.is_file();
  state_ = content_state_ = State::part_data;
  sink_.on_part_begin(part);
}

std::optional<MultipartError> MultipartParser::fail(MultipartError e) {
  state_ = State::failed;
  error_ = e;
  return e;
}

}  // namespace chattwo::api
