#pragma once
// One STOMP connection, whatever carries it (WebSocket or SockJS): the
// protocol state machine, its subscriptions, and its writer.
// Include only from stomp/broker and net .cpp files (it uses Asio).
#include <boost/asio/awaitable.hpp>

#include <string>

#include "stomp/broker/session_context.hpp"
#include "stomp/broker/transport.hpp"

namespace chattwo::stomp::broker {

/// Serves STOMP on `transport` until either side closes. `cookie_secret` is
/// the session cookie of the WebSocket handshake, if any (a CONNECT without
/// a bearer token signs in with it). Runs on the connection's strand.
boost::asio::awaitable<void> serve_stomp(Transport& transport, SessionContext& ctx, std::string cookie_secret);

}  // namespace chattwo::stomp::broker
