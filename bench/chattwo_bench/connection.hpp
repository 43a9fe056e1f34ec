#pragma once
// One STOMP-over-WebSocket client connection of the load generator: a
// subscriber to one room's topic, or a publisher that SENDs to one room at a
// fixed rate or as fast as its window of unacknowledged SENDs allows.
// Failures are counted in ThreadStats, never thrown.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "stats.hpp"

namespace boost::asio {
class io_context;
}

namespace chattwo::bench {

using Clock = std::chrono::steady_clock;

/// What every connection shares; outlives them all.
struct ClientContext {
  boost::asio::ip::tcp::endpoint server;
  std::string host_header;  // HTTP Host of the WebSocket handshake
  std::string stomp_host;   // the STOMP CONNECT host header
  // Bind connection i to 127.0.0.(1 + i / connections_per_source_address)
  // before connecting: one loopback source address has ~28k ephemeral ports.
  bool spread_source_addresses = false;
  // 25,000 leaves headroom below the default ephemeral range (32768-60999).
  std::size_t connections_per_source_address = 25000;
  std::size_t window = 32;                // unacknowledged SENDs per publisher
  std::chrono::nanoseconds send_interval{0};  // per publisher; 0: flat out
  std::size_t text_bytes = 0;             // minimum message text length
  std::string run_id;
  std::chrono::milliseconds setup_timeout{30000};  // connect .. subscribed
  std::chrono::milliseconds close_timeout{5000};   // DISCONNECT receipt, close handshake
  // Called once per connection when it is ready or has failed, from its
  // I/O thread: how the launcher keeps a bounded number connecting.
  std::function<void()> on_setup_done;
  std::atomic<int> printed_errors{0};  // quota of error lines on stderr
};

/// What one connection is.
struct ConnectionSpec {
  std::size_t index = 0;  // among all connections: picks the source address
  std::string token;      // bearer token for CONNECT
  std::string room_id;
  bool publisher = false;  // publishers SEND and subscribe to /user/queue/errors only
};

/// A connection, driven from its io_context's single thread; the methods
/// below may be called from any thread (they post to it).
class Connection {
 public:
  virtual ~Connection() = default;
  /// Connects, CONNECTs, subscribes; then reads until closed.
  virtual void start() = 0;
  /// Publishers only: starts sending, the first message at `first_send`.
  virtual void begin_publishing(Clock::time_point first_send) = 0;
  /// Stops publishing, DISCONNECTs (waiting for its RECEIPT), closes.
  virtual void stop() = 0;

  /// `ioc` must be run by exactly one thread (per-thread stats, no strands).
  static std::shared_ptr<Connection> make(boost::asio::io_context& ioc, ClientContext& context,
                                          ConnectionSpec spec, ThreadStats& stats);
};

}  // namespace chattwo::bench
