#include "net/sockjs_framing.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdint>

namespace chattwo::net::sockjs {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t unit) {
  out += "\\u";
  out += kHex[(unit >> 12) & 0xf];
  out += kHex[(unit >> 8) & 0xf];
  out += kHex[(unit >> 4) & 0xf];
  out += kHex[unit & 0xf];
}

// The ranges sockjs-protocol-0.3.3's `escapable_by_server` names: some
// browsers and proxies drop or rewrite these characters when they travel
// raw, so they go as \u-escapes.
bool must_escape(std::uint32_t cp) {
  return (cp >= 0x200c && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x2060 && cp <= 0x206f) ||
         (cp >= 0xfff0 && cp <= 0xffff);
}

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it
// is not well-formed (overlong, surrogate, past U+10FFFF, or cut short).
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len;
  std::uint32_t min;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

// The body of a JSON string literal, without its quotes.
void append_escaped(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20)
            append_u_escape(out, c);  // NUL (the STOMP frame end) becomes \u0000
          else
            out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) {
      append_u_escape(out, 0xfffd);
      ++i;
      continue;
    }
    if (cp > 0xffff) {
      const std::uint32_t v = cp - 0x10000;
      append_u_escape(out, 0xd800 + (v >> 10));
      append_u_escape(out, 0xdc00 + (v & 0x3ff));
    } else if (must_escape(cp)) {
      append_u_escape(out, cp);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
}

void append_message(std::string& out, const stomp::broker::OutFrame& frame) {
  out += '"';
  // Escaped piecewise: a head ends with "\n", never inside a character.
  if (frame.head) append_escaped(out, *frame.head);
  if (frame.tail) append_escaped(out, *frame.tail);
  out += '"';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  append_escaped(out, text);
  out += '"';
}

std::string message_frame(const std::vector<stomp::broker::OutFrame>& frames) {
  std::size_t size = 3;
  for (const auto& f : frames) size += f.size() + 3;
  std::string out;
  out.reserve(size + size / 8);
  out += "a[";
  bool first = true;
  for (const auto& f : frames) {
    if (!first) out += ',';
    first = false;
    append_message(out, f);
  }
  out += ']';
  return out;
}

std::string close_frame(int code, std::string_view reason) {
  std::string out = "c[" + std::to_string(code) + ",";
  append_json_string(out, reason);
  out += ']';
  return out;
}

std::optional<std::vector<std::string>> parse_messages(std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  std::vector<std::string> out;
  if (const auto* s = v.if_string()) {
    out.emplace_back(s->data(), s->size());
    return out;
  }
  const auto* array = v.if_array();
  if (!array) return std::nullopt;
  out.reserve(array->size());
  for (const auto& item : *array) {
    const auto* s = item.if_string();
    if (!s) return std::nullopt;
    out.emplace_back(s->data(), s->size());
  }
  return out;
}

Target parse_target(std::string_view rest) {
  Target t;
  if (rest.empty() || rest == "/") {
    t.kind = Target::Kind::greeting;
    return t;
  }
  if (rest == "/info") {
    t.kind = Target::Kind::info;
    return t;
  }
  if (rest.starts_with("/iframe") && rest.ends_with(".html")) {
    t.kind = Target::Kind::iframe;
    return t;
  }
  // "/{server}/{session}/{transport}"
  std::string_view parts[3];
  rest.remove_prefix(1);
  for (int k = 0; k < 3; ++k) {
    const auto slash = rest.find('/');
    if ((slash == std::string_view::npos) != (k == 2)) return t;
    parts[k] = rest.substr(0, slash);
    if (parts[k].empty()) return t;
    if (k < 2 && parts[k].find('.') != std::string_view::npos) return t;
    if (slash != std::string_view::npos) rest.remove_prefix(slash + 1);
  }
  t.kind = Target::Kind::session;
  t.server = parts[0];
  t.session = parts[1];
  t.transport = parts[2];
  return t;
}

}  // namespace chattwo::net::sockjs
