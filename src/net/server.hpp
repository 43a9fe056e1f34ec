#pragma once
// The network side of the process: listeners, HTTP connections, signals and
// the drain on shutdown. Beast and Asio stay inside server.cpp; this header
// is cheap to include.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/origin_policy.hpp"
#include "base/worker_pool.hpp"
#include "net/router.hpp"
#include "net/static_files.hpp"
#include "ops/health.hpp"
#include "ops/metrics.hpp"
#include "ops/settings.hpp"

namespace chattwo::stomp::broker {
struct SessionContext;
}

namespace chattwo::net {

struct ServerSettings {
  ops::Endpoint listen;
  std::optional<ops::Endpoint> metrics_listen;
  unsigned threads = 1;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 20'000;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds drain_grace{0};
  std::chrono::milliseconds shutdown_timeout{30'000};
  std::vector<std::string> allowed_origins;
  // The host of --public-url, if any: besides it, a server listening on
  // loopback answers only requests whose Host names loopback (DNS rebinding).
  std::string public_host;
};

/// What the server hands requests to. The routers and files must outlive it.
struct ServerParts {
  const Router& main_router;
  const Router* metrics_router = nullptr;  // for --metrics-listen
  const StaticFiles* static_files = nullptr;
  base::WorkerPool& storage_workers;
  base::WorkerPool& hashing_workers;
  ops::Registry& metrics;
  ops::Health& health;
  stomp::broker::SessionContext* stomp = nullptr;  // STOMP at /ws/websocket when set
  // Image uploads (Runs::on_media_workers): a pool of their own, so decoding
  // photos neither holds up storage work nor logins, and so that the number
  // of images in memory at once is bounded. Null: the hashing workers.
  base::WorkerPool* media_workers = nullptr;
};

class Server {
 public:
  Server(ServerSettings settings, ServerParts parts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds the listeners. Throws std::runtime_error with a one-line reason
  /// (e.g. "127.0.0.1:8080: Address already in use").
  void bind();
  ops::Endpoint local_endpoint() const;
  std::optional<ops::Endpoint> metrics_endpoint() const;

  /// Serves until SIGINT/SIGTERM, then drains: /readyz answers 503 for the
  /// drain grace (a second signal ends it early), the listeners close, idle
  /// connections close, requests in flight finish (up to shutdown_timeout).
  /// Returns when all of that is done. A signal during the final wait stops
  /// at once.
  void run();

  /// What SIGTERM does, for a caller that embeds the server (tests): starts
  /// the drain, and a second call cuts the grace short. Any thread; before
  /// run() it takes effect once run() starts.
  void request_stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chattwo::net
