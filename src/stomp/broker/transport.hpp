#pragma once
// A STOMP connection's carrier: a raw WebSocket, or a SockJS session. The
// broker reads STOMP text from it and writes batches of frames to it.
// Include only from stomp/broker and net .cpp files (it uses Asio).
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "stomp/broker/outbox.hpp"

namespace chattwo::stomp::broker {

class Transport {
 public:
  virtual ~Transport() = default;
  /// The next inbound text; nullopt when the peer closed, the transport
  /// failed, or nothing came within `timeout` (0: no limit).
  virtual boost::asio::awaitable<std::optional<std::string>> read(std::chrono::milliseconds timeout) = 0;
  /// Writes `frames` in order, as few writes as the transport allows. False on failure.
  virtual boost::asio::awaitable<bool> write(const std::vector<OutFrame>& frames) = 0;
  /// Sends a heart-beat EOL. False on failure.
  virtual boost::asio::awaitable<bool> write_heartbeat() = 0;
  /// Closes; a pending read() then returns nullopt. Call on the connection's strand.
  virtual boost::asio::awaitable<void> close(bool going_away) = 0;
};

}  // namespace chattwo::stomp::broker
