#include "stomp/codec/frame.hpp"

#include <array>

namespace chattwo::stomp {
namespace {

struct Name {
  Command command;
  std::string_view text;
};
constexpr std::array<Name, 15> kNames = {{
    {Command::connect, "CONNECT"},     {Command::stomp, "STOMP"},       {Command::send, "SEND"},
    {Command::subscribe, "SUBSCRIBE"}, {Command::unsubscribe, "UNSUBSCRIBE"}, {Command::ack, "ACK"},
    {Command::nack, "NACK"},           {Command::begin, "BEGIN"},       {Command::commit, "COMMIT"},
    {Command::abort, "ABORT"},         {Command::disconnect, "DISCONNECT"}, {Command::connected, "CONNECTED"},
    {Command::message, "MESSAGE"},     {Command::receipt, "RECEIPT"},   {Command::error, "ERROR"},
}};

bool escapes(Command c, Version v) {
  // STOMP is CONNECT by another name: neither is escaped (spec 1.2, "Value Encoding").
  return v != Version::v1_0 && c != Command::connect && c != Command::stomp && c != Command::connected;
}

void append_escaped(std::string& out, std::string_view text, Version version) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case ':': out += "\\c"; break;
      case '\r':
        if (version == Version::v1_2) {
          out += "\\r";
          break;
        }
        [[fallthrough]];
      default: out += c;
    }
  }
}

}  // namespace

std::string_view to_string(Command c) {
  for (const auto& n : kNames) {
    if (n.command == c) return n.text;
  }
  return "ERROR";
}

std::optional<Command> parse_command(std::string_view text) {
  for (const auto& n : kNames) {
    if (n.text == text) return n.command;
  }
  return std::nullopt;
}

std::optional<std::string_view> Frame::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string escape_header(std::string_view text, Version version) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, version);
  return out;
}

void serialize(const Frame& frame, Version version, std::string& out) {
  const bool escape = escapes(frame.command, version);
  out += to_string(frame.command);
  out += '\n';
  bool has_length = false;
  for (const auto& [k, v] : frame.headers) {
    has_length |= k == "content-length";
    if (escape) {
      append_escaped(out, k, version);
      out += ':';
      append_escaped(out, v, version);
    } else {
      out += k;
      out += ':';
      out += v;
    }
    out += '\n';
  }
  // content-length lets bodies carry NUL bytes, and lets the peer read the
  // body without scanning it.
  if (!frame.body.empty() && !has_length) {
    out += "content-length:";
    out += std::to_string(frame.body.size());
    out += '\n';
  }
  out += '\n';
  out += frame.body;
  out += '\0';
}

std::string serialize(const Frame& frame, Version version) {
  std::string out;
  serialize(frame, version, out);
  return out;
}

}  // namespace chattwo::stomp
