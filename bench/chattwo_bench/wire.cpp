#include "wire.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace chattwo::bench {

std::string make_send_body(std::uint64_t send_ns, std::string_view client_msg_id, std::size_t text_bytes) {
  std::string text = "t=" + std::to_string(send_ns);
  if (text.size() < text_bytes) {
    text += ' ';
    text.append(text_bytes > text.size() ? text_bytes - text.size() : 0, 'x');
  }
  // clientMsgId comes from the run id (checked to be [A-Za-z0-9_-]) and
  // counters, so neither string needs JSON escaping.
  std::string body;
  body.reserve(64 + client_msg_id.size() + text.size());
  body += R"({"clientMsgId":")";
  body += client_msg_id;
  body += R"(","type":"text","text":")";
  body += text;
  body += "\"}";
  return body;
}

std::optional<std::uint64_t> parse_send_ns(std::string_view body) {
  constexpr std::string_view kMarker = "\"t=";
  const auto at = body.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = body.data() + at + kMarker.size();
  const char* last = body.data() + body.size();
  std::uint64_t ns = 0;
  auto [ptr, ec] = std::from_chars(first, last, ns);
  if (ec != std::errc{} || ptr == first) return std::nullopt;
  return ns;
}

stomp::Frame connect_frame(std::string_view host, std::string_view token) {
  stomp::Frame f;
  f.command = stomp::Command::connect;
  f.add_header("accept-version", "1.2");
  f.add_header("host", std::string(host));
  f.add_header("heart-beat", "0,0");
  f.add_header("Authorization", "Bearer " + std::string(token));
  return f;
}

stomp::Frame subscribe_frame(std::string_view id, std::string_view destination, std::string_view receipt) {
  stomp::Frame f;
  f.command = stomp::Command::subscribe;
  f.add_header("id", std::string(id));
  f.add_header("destination", std::string(destination));
  f.add_header("receipt", std::string(receipt));
  return f;
}

stomp::Frame send_frame(std::string_view destination, std::string_view receipt, std::string body) {
  stomp::Frame f;
  f.command = stomp::Command::send;
  f.add_header("destination", std::string(destination));
  f.add_header("content-type", "application/json");
  f.add_header("receipt", std::string(receipt));
  f.body = std::move(body);
  return f;
}

stomp::Frame disconnect_frame(std::string_view receipt) {
  stomp::Frame f;
  f.command = stomp::Command::disconnect;
  f.add_header("receipt", std::string(receipt));
  return f;
}

std::string room_topic(std::string_view room_id) { return "/topic/rooms." + std::string(room_id); }

std::string room_send_destination(std::string_view room_id) {
  return "/app/rooms." + std::string(room_id) + ".messages";
}

std::optional<std::uint64_t> parse_vm_rss_kib(std::string_view status_text) {
  constexpr std::string_view kKey = "VmRSS:";
  std::size_t at = 0;
  while (true) {
    at = status_text.find(kKey, at);
    if (at == std::string_view::npos) return std::nullopt;
    if (at == 0 || status_text[at - 1] == '\n') break;
    at += kKey.size();
  }
  std::size_t p = at + kKey.size();
  while (p < status_text.size() && (status_text[p] == ' ' || status_text[p] == '\t')) ++p;
  std::uint64_t kib = 0;
  auto [ptr, ec] = std::from_chars(status_text.data() + p, status_text.data() + status_text.size(), kib);
  if (ec != std::errc{} || ptr == status_text.data() + p) return std::nullopt;
  return kib;  // the kernel always reports this field in kB
}

std::optional<std::uint64_t> read_rss_kib(int pid) {
  const std::string path = pid == 0 ? "/proc/self/status" : "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse_vm_rss_kib(text.str());
}

}  // namespace chattwo::bench
