#pragma once
// STOMP over SockJS 0.3.3 at /ws: /ws/info, and the websocket, xhr-streaming,
// xhr-polling (with xhr_send) and eventsource transports at
// /ws/{server}/{session}/{transport}. net-private: it names Beast types;
// include only from net/ .cpp files.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "api/http_types.hpp"
#include "api/origin_policy.hpp"
#include "net/sockjs_session.hpp"
#include "stomp/broker/session_context.hpp"

namespace chattwo::net {

struct SockJsSettings {
  SockJsLimits limits;
  std::chrono::milliseconds body_timeout{30'000};  // a request body, or one write, must finish this soon
  // SockJS's heartbeat_delay: an `h` frame on a receiving request that has
  // sent nothing for this long (load balancers drop quiet connections).
  std::chrono::milliseconds heartbeat{25'000};
  // A streaming response ends after this many bytes, so that the browser
  // frees what it buffered; the client opens the next one (SockJS's
  // response_limit, 128 KiB).
  std::size_t response_limit = 128 * 1024;
};

/// Serves SockJS requests. Sessions live in its registry; each runs a STOMP
/// session on a strand of `ioc`. Outlives no more than `ioc`: destroy it
/// before the io_context.
class SockJsEndpoint {
 public:
  SockJsEndpoint(boost::asio::io_context& ioc, stomp::broker::SessionContext& stomp, const api::OriginPolicy& origins,
                 SockJsSettings settings);
  ~SockJsEndpoint();
  SockJsEndpoint(const SockJsEndpoint&) = delete;
  SockJsEndpoint& operator=(const SockJsEndpoint&) = delete;

  /// The paths it answers: /ws and everything under /ws/ but /ws/websocket
  /// (the raw WebSocket endpoint).
  static bool handles(std::string_view path);

  /// Serves the one request whose head is in `parser` (reading its body from
  /// `stream` and `buffer`), including a WebSocket's whole life. `idle` is
  /// true while a receiving request only waits (a drain may then close the
  /// connection). Returns whether the connection may carry another request.
  /// Shutdown: closes every session (their STOMP sessions end and leave the
  /// hub) and refuses new ones. Any thread.
  void close_all();
  /// STOMP sessions over HTTP transports still running: a drain waits for 0,
  /// since they hold executors of the io_context.
  std::size_t live_sessions() const;

  boost::asio::awaitable<bool> serve(boost::beast::tcp_stream& stream, boost::beast::flat_buffer& buffer,
                                     boost::beast::http::request_parser<boost::beast::http::string_body>& parser,
                                     const api::Request& req, bool& idle);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chattwo::net
