#pragma once
// The raw WebSocket endpoint of STOMP (/ws/websocket). net-private: it
// names Beast types; include only from net/ .cpp files.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>

#include "api/http_types.hpp"
#include "api/origin_policy.hpp"
#include "stomp/broker/stomp_session.hpp"

namespace chattwo::net {

/// A WebSocket handshake request. On the heap, and freed once answered: a
/// coroutine frame would keep it for the life of the connection.
struct WebSocketUpgrade {
  boost::beast::http::request<boost::beast::http::string_body> request;
  api::Request handshake;  // needs only Origin, Host, Cookie and Sec-WebSocket-Protocol
};

/// Upgrades `stream` to a WebSocket and serves STOMP on it until it closes.
/// Returns the HTTP answer instead when the handshake is refused (not an
/// upgrade, or a foreign Origin): then the caller writes it.
boost::asio::awaitable<std::unique_ptr<api::Response>> serve_websocket(boost::beast::tcp_stream& stream,
                                                                        std::unique_ptr<WebSocketUpgrade> upgrade,
                                                                        const api::OriginPolicy& origins,
                                                                        stomp::broker::SessionContext& stomp);

}  // namespace chattwo::net
