#pragma once
// What every STOMP session shares, and its limits. Asio-free, so that app/
// can build it; the sessions themselves live in stomp_session.cpp.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "api/stomp_app.hpp"
#include "base/worker_pool.hpp"
#include "ops/metrics.hpp"
#include "stomp/broker/hub.hpp"
#include "stomp/codec/parser.hpp"

namespace chattwo::stomp::broker {

struct SessionLimits {
  ParserLimits parser;  // 64 KiB frames (API.md)
  // Outbound bytes queued per connection before it counts as a slow
  // consumer and is closed: ~ 256 typical messages, Tinode's sendQueueLimit
  // 128 and Mattermost's 256 in frames; in bytes so large frames count more.
  std::size_t max_queued_bytes = 256 * 1024;
  std::size_t max_subscriptions = 256;  // per connection; a user in 200 rooms fits
  std::chrono::milliseconds connect_timeout{10'000};  // CONNECT must come this soon
  // Heart-beats offered in CONNECTED: we send at least this often, and want
  // the client to send at least this often (both 0 = off if the client says 0).
  std::chrono::milliseconds heartbeat{10'000};
};

/// Counters on the hot path, looked up once. Frames per write and SENDs
/// per batch are what coalescing and group commit are worth.
struct StompCounters {
  explicit StompCounters(ops::Registry& r)
      : writes(r.counter("chattwo_stomp_writes_total", "Writes of outbound STOMP frames (one or more frames each).")),
        frames_written(r.counter("chattwo_stomp_frames_written_total", "Outbound STOMP frames written.")),
        send_batches(r.counter("chattwo_stomp_send_batches_total", "Runs of SENDs handed to storage together.")),
        sends(r.counter("chattwo_stomp_sends_total", "SEND frames handled.")) {}
  ops::Counter& writes;
  ops::Counter& frames_written;
  ops::Counter& send_batches;
  ops::Counter& sends;
};

/// What every session shares. Outlives all sessions.
struct SessionContext {
  Hub& hub;
  api::StompApp& app;
  base::WorkerPool& workers;
  ops::Registry& metrics;
  SessionLimits limits;
  StompCounters counters{metrics};
  std::atomic<std::uint64_t> next_connection_id{1};
};

}  // namespace chattwo::stomp::broker
