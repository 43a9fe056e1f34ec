#pragma once
// STOMP frames as values, and their serialisation. Pure: no I/O.
// Spec: STOMP 1.2 (https://stomp.github.io/stomp-specification-1.2.html);
// 1.0 and 1.1 differ only in header escaping, handled by `Version`.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chattwo::stomp {

enum class Command {
  // client frames
  connect, stomp, send, subscribe, unsubscribe, ack, nack, begin, commit, abort, disconnect,
  // server frames
  connected, message, receipt, error,
};

std::string_view to_string(Command c);
std::optional<Command> parse_command(std::string_view text);

/// The protocol version of a connection, which decides header escaping:
/// 1.0 has none, 1.1 escapes \n : and \, 1.2 also \r. CONNECT and CONNECTED
/// frames are never escaped, whatever the version (spec, "Value Encoding").
enum class Version { v1_0, v1_1, v1_2 };

struct Frame {
  Command command = Command::send;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, repeats kept
  std::string body;

  /// The first header named `name`: when a header repeats, the first wins.
  std::optional<std::string_view> header(std::string_view name) const;
  void add_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

/// Appends the wire form of `frame` to `out`: headers escaped for `version`
/// (except on CONNECT/CONNECTED), a content-length header when the body is
/// not empty (unless the frame has one), the body and the NUL.
void serialize(const Frame& frame, Version version, std::string& out);
std::string serialize(const Frame& frame, Version version);

/// `text` with STOMP header escaping for `version` applied.
std::string escape_header(std::string_view text, Version version);

}  // namespace chattwo::stomp
