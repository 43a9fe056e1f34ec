#pragma once
// SockJS 0.3.3 framing, pure (no I/O): how STOMP frames become SockJS
// frames (`o`, `h`, `a[...]`, `c[code,"reason"]`), how client bodies become
// messages, and how /ws/... paths split into server, session and transport.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stomp/broker/outbox.hpp"

namespace chattwo::net::sockjs {

inline constexpr std::string_view kOpenFrame = "o";
inline constexpr std::string_view kHeartbeatFrame = "h";

/// Appends `text` (UTF-8) as a JSON string literal, escaped as SockJS
/// servers must: the JSON escapes (`\"`, `\\`, `\n`, `\u0000`, ...), plus
/// \u-escapes, lower-case hex, for U+200C-200F, U+2028-202F, U+2060-206F and
/// U+FFF0-FFFF (browsers and proxies mangle them), and for every character
/// above U+FFFF as its UTF-16 surrogate pair (as sockjs-node does). Invalid
/// UTF-8 becomes \ufffd.
void append_json_string(std::string& out, std::string_view text);

/// `a[...]`: one SockJS message per frame (head and tail together, as one
/// JSON string). Each head must end on a character boundary (STOMP heads end
/// with "\n").
std::string message_frame(const std::vector<stomp::broker::OutFrame>& frames);

/// `c[code,"reason"]`.
std::string close_frame(int code, std::string_view reason);

/// The messages of a client body: a JSON array of strings (xhr_send, and
/// WebSocket messages) or a single JSON string (WebSocket). nullopt when the
/// JSON is broken or holds anything else.
std::optional<std::vector<std::string>> parse_messages(std::string_view body);

/// What a path under the SockJS prefix (the part after "/ws") asks for.
struct Target {
  enum class Kind { greeting, info, iframe, session, not_found } kind = Kind::not_found;
  std::string_view server;     // session: the load-balancer part, ignored
  std::string_view session;    // session: the session id
  std::string_view transport;  // session: "xhr", "xhr_send", "xhr_streaming", "eventsource", "websocket", ...
};

/// Splits `rest` ("", "/", "/info", "/000/abc/xhr", ...). Server and session
/// ids are non-empty path segments without dots; anything else is not_found.
Target parse_target(std::string_view rest);

}  // namespace chattwo::net::sockjs
