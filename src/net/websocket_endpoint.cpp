#include "net/websocket_endpoint.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <spdlog/spdlog.h>

#include "api/problem.hpp"
#include "api/request_auth.hpp"

namespace chattwo::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// A WebSocket message may hold several STOMP frames; each is at most 64 KiB
// (the parser enforces it with an ERROR frame), the message a little more.
constexpr std::size_t kMaxMessageBytes = 1 << 20;
// The first read of a message waits, maybe for minutes: it holds a small
// buffer. Once bytes flow, the rest of the message comes in big steps.
constexpr std::size_t kFirstReadBytes = 128;
constexpr std::size_t kReadStepBytes = 16 * 1024;

// The first STOMP subprotocol the client offers, newest first as offered.
std::string pick_subprotocol(std::string_view offered) {
  for (std::string_view wanted : {"v12.stomp", "v11.stomp", "v10.stomp"}) {
    std::string_view rest = offered;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item == wanted) return std::string(wanted);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return {};
}

/// STOMP over one Beast WebSocket: one text message per batch of frames.
class WebSocketTransport final : public stomp::broker::Transport {
 public:
  explicit WebSocketTransport(beast::tcp_stream& stream) : ws_(stream), timer_(stream.get_executor()) {}

  websocket::stream<beast::tcp_stream&>& ws() { return ws_; }

  asio::awaitable<std::optional<std::string>> read(std::chrono::milliseconds timeout) override {
    buffer_.clear();
    bool timed_out = false;
    if (timeout.count() > 0) {
      // A missed heart-beat: close the socket, which ends the read.
      timer_.expires_after(timeout);
      timer_.async_wait([this, &timed_out](const boost::system::error_code& ec) {
        if (ec) return;
        timed_out = true;
        boost::system::error_code ignored;
        ws_.next_layer().socket().close(ignored);
      });
    }
    // Read a message in steps: while a connection idles, its pending read
    // holds only kFirstReadBytes of buffer (a whole-message read would hold
    // ~1.5 KiB per idle connection).
    boost::system::error_code ec;
    std::size_t step = kFirstReadBytes;
    do {
      auto [step_ec, n] = co_await ws_.async_read_some(buffer_, step, kTuple);
      ec = step_ec;
      step = kReadStepBytes;
    } while (!ec && !ws_.is_message_done());
    timer_.cancel();
    if (ec) {
      if (timed_out) spdlog::info("websocket: no data within {} ms, closed", timeout.count());
      co_return std::nullopt;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    // An idle connection keeps no read buffer: 10,000 of them would hold
    // tens of MB for nothing (API targets ~10 KiB per idle connection).
    buffer_.clear();
    buffer_.shrink_to_fit();
    co_return text;
  }

  asio::awaitable<bool> write(const std::vector<stomp::broker::OutFrame>& frames) override {
    // Gather, not copy: the heads and shared tails go out as they are.
    buffers_.clear();
    for (const auto& f : frames) {
      if (f.head) buffers_.emplace_back(f.head->data(), f.head->size());
      if (f.tail) buffers_.emplace_back(f.tail->data(), f.tail->size());
    }
    auto [ec, n] = co_await ws_.async_write(buffers_, kTuple);
    if (buffers_.capacity() > 1024) buffers_ = {};  // after a big burst: don't keep 16 KiB for good
    co_return !ec;
  }

  asio::awaitable<bool> write_heartbeat() override {
    static const char eol = '\n';
    auto [ec, n] = co_await ws_.async_write(asio::buffer(&eol, 1), kTuple);
    co_return !ec;
  }

  asio::awaitable<void> close(bool going_away) override {
    if (!ws_.is_open()) co_return;
    // The close handshake may fail if the peer is gone; the socket closes anyway.
    co_await ws_.async_close(going_away ? websocket::close_code::going_away : websocket::close_code::normal, kTuple);
    boost::system::error_code ignored;
    ws_.next_layer().socket().close(ignored);
  }

 private:
  websocket::stream<beast::tcp_stream&> ws_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::vector<asio::const_buffer> buffers_;
};

// Refuses what is not a WebSocket handshake we accept; null when it is one.
std::unique_ptr<api::Response> refusal(const WebSocketUpgrade& up, const api::OriginPolicy& origins) {
  if (!websocket::is_upgrade(up.request)) {
    return std::make_unique<api::Response>(
        api::problem(chat::Code::validation, "this is a WebSocket endpoint: send an Upgrade: websocket request"));
  }
  // Cross-site WebSocket hijacking: a page elsewhere would connect with the
  // user's cookie. Browsers always send Origin on a WebSocket handshake.
  if (!origins.allows(up.handshake.header("origin"), up.handshake.header("host"))) {
    return std::make_unique<api::Response>(
        api::problem(chat::Code::forbidden, "WebSocket connections from this Origin are not allowed"));
  }
  return nullptr;
}

// The handshake, in a coroutine of its own whose frame (and the request) is
// gone once it is answered. False when it failed (Beast answered it).
asio::awaitable<bool> accept(websocket::stream<beast::tcp_stream&>& ws, std::unique_ptr<WebSocketUpgrade> up) {
  const std::string subprotocol = pick_subprotocol(up->handshake.header("sec-websocket-protocol"));
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.keep_alive_pings = true;  // pings find dead peers that never send a FIN
  ws.set_option(timeouts);
  ws.read_message_max(kMaxMessageBytes);
  ws.text(true);
  ws.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
    res.set(http::field::server, "chattwo");
    if (!subprotocol.empty()) res.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  auto [ec] = co_await ws.async_accept(up->request, kTuple);
  co_return !ec;
}

}  // namespace

asio::awaitable<std::unique_ptr<api::Response>> serve_websocket(beast::tcp_stream& stream,
                                                                 std::unique_ptr<WebSocketUpgrade> upgrade,
                                                                 const api::OriginPolicy& origins,
                                                                 stomp::broker::SessionContext& stomp) {
  if (auto refused = refusal(*upgrade, origins)) co_return refused;
  std::string cookie(api::find_cookie(upgrade->handshake.header("cookie"), api::kSessionCookie).value_or(""));
  stream.expires_never();  // the WebSocket stream has its own timeouts from here on
  // On the heap, with the WebSocket: this frame stays small while the
  // connection lives.
  auto transport = std::make_unique<WebSocketTransport>(stream);
  if (!co_await accept(transport->ws(), std::move(upgrade))) co_return nullptr;
  co_await stomp::broker::serve_stomp(*transport, stomp, std::move(cookie));
  co_return nullptr;
}

}  // namespace chattwo::net
