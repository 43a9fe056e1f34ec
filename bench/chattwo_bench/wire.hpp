#pragma once
// What the load generator puts on the wire and reads back, as pure
// functions (testable without a server): the SEND body carrying the send
// time, the time read back from a delivered Message, the STOMP frames it
// sends, and /proc readings. Std + stomp codec only.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stomp/codec/frame.hpp"

namespace chattwo::bench {

/// The JSON body of a SEND: {"clientMsgId","type":"text","text":"t=<ns> ..."}.
/// `send_ns` is steady_clock nanoseconds (same process, so comparable with
/// the receive time); the text is padded with 'x' to at least `text_bytes`.
std::string make_send_body(std::uint64_t send_ns, std::string_view client_msg_id, std::size_t text_bytes);

/// The send time from a delivered Message body: the digits after the first
/// `"t=` (Message JSON carries our text verbatim and digits need no
/// escaping, so no JSON parse is needed on the hot path). nullopt if absent.
std::optional<std::uint64_t> parse_send_ns(std::string_view body);

/// STOMP frames the generator sends.
stomp::Frame connect_frame(std::string_view host, std::string_view token);
stomp::Frame subscribe_frame(std::string_view id, std::string_view destination, std::string_view receipt);
stomp::Frame send_frame(std::string_view destination, std::string_view receipt, std::string body);
stomp::Frame disconnect_frame(std::string_view receipt);

std::string room_topic(std::string_view room_id);        // /topic/rooms.<id>
std::string room_send_destination(std::string_view room_id);  // /app/rooms.<id>.messages

/// VmRSS in KiB from the text of a /proc/PID/status file; nullopt if absent.
std::optional<std::uint64_t> parse_vm_rss_kib(std::string_view status_text);
/// Reads /proc/<pid>/status (pid 0: this process). nullopt if unreadable.
std::optional<std::uint64_t> read_rss_kib(int pid);

}  // namespace chattwo::bench
