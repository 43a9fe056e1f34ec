#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/chat_stomp_app.hpp"
#include "api/routes.hpp"
#include "auth/sodium_ulid_generator.hpp"
#include "app/services.hpp"
#include "base/worker_pool.hpp"
#include "net/server.hpp"
#include "ops/metrics.hpp"
#include "stomp/broker/hub.hpp"
#include "stomp/broker/session_context.hpp"

namespace chattwo::app {
namespace {

namespace fs = std::filesystem;

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// Fails early, with a reason a person can act on, when the data dir can't be used.
void prepare_data_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("data dir " + dir + ": " + ec.message());
  const fs::path probe = fs::path(dir) / ".write-test";
  if (std::FILE* f = std::fopen(probe.c_str(), "w")) {
    std::fclose(f);
    fs::remove(probe, ec);
  } else {
    throw std::runtime_error("data dir " + dir + " is not writable");
  }
}

// "chat.example.com" from "https://chat.example.com:8443/x".
std::string host_of(const std::string& url) {
  const auto start = url.find("://");
  if (start == std::string::npos) return {};
  std::string rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find('/'));
  if (rest.starts_with('[')) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

// One server per data dir: two would each keep their own login throttle and
// race on migrations. The lock goes with the process, even on a crash.
int lock_data_dir(const std::string& dir) {
  const std::string path = (fs::path(dir) / "chattwo.lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("data dir " + dir + ": cannot create " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw std::runtime_error("data dir " + dir + " is in use by another chattwo process");
  }
  return fd;  // held until exit
}

// Housekeeping on a timer, each round on a storage worker: expired
// sessions' rows (they are refused on sight anyway) and images nothing uses
// any more (ImageService::sweep, after its grace period).
class Janitor {
 public:
  Janitor(chat::SessionStore& sessions, chat::ImageService& images, base::WorkerPool& pool, chat::Clock& clock)
      : thread_([this, &sessions, &images, &pool, &clock] {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, std::chrono::minutes(10), [this] { return stopping_; })) {
            pool.try_submit([&sessions, &images, &clock] {
              try {
                if (auto n = sessions.purge_expired(clock.now_ms())) spdlog::info("purged {} expired sessions", n);
                // A bounded round: a backlog goes in later rounds, never one long job.
                if (auto n = images.sweep(500)) spdlog::info("deleted {} unused images", n);
              } catch (const std::exception& e) {
                spdlog::warn("housekeeping failed: {}", e.what());
              }
            });
          }
        }) {}
  ~Janitor() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

std::string url_of(const ops::Endpoint& e) {
  const bool v6 = e.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
}

}  // namespace

int serve(ops::Settings settings) {
  const unsigned net_threads = settings.threads ? settings.threads : cores();
  const unsigned workers = settings.workers ? settings.workers : std::max(4u, 2 * cores());

  prepare_data_dir(settings.data_dir);
  const int data_dir_lock = lock_data_dir(settings.data_dir);
  chat::SystemClock clock;
  auth::SodiumUlidGenerator ids(clock);  // ids appear in URLs: not guessable
  ops::Registry metrics;
  ops::Health health;

  // The domain on its embedded adapters. Storage: one connection per
  // worker, so a worker never waits for one.
  ServicesSettings services_settings;
  services_settings.database = {(fs::path(settings.data_dir) / "chattwo.db").string(), workers};
  services_settings.argon2 = {settings.argon2_memlimit_bytes, settings.argon2_opslimit};
  services_settings.login_throttle = {settings.login_max_failures_per_email, settings.login_max_failures_per_address,
                                      settings.login_failure_window.count()};
  services_settings.max_send_rate = settings.max_send_rate;
  services_settings.https = settings.public_url.starts_with("https://");
  services_settings.max_json_body_bytes = settings.max_json_body_bytes;
  services_settings.images = settings.images;
  // Uploads are re-encoded here; what a crash leaves is cleared at start.
  services_settings.upload_work_dir = (fs::path(settings.data_dir) / "uploads").string();
  fs::remove_all(services_settings.upload_work_dir);
  fs::create_directories(services_settings.upload_work_dir);
  Services services(services_settings, clock, ids, metrics, health);
  services.sessions.purge_expired(clock.now_ms());
  services.start();
  api::ApiContext& ctx = services.context;
  net::Router main_router;
  for (auto& route : api::all_routes(ctx)) main_router.add(std::move(route));
  net::Router metrics_router;
  for (auto& route : api::metrics_port_routes(ctx)) metrics_router.add(std::move(route));

  std::optional<net::StaticFiles> static_files;
  if (!settings.web_dir.empty()) {
    static_files.emplace(settings.web_dir);
    spdlog::info("web UI: {} files, {} KiB from {}", static_files->file_count(), static_files->total_bytes() / 1024,
                 settings.web_dir);
  }

  metrics.gauge("chattwo_build_info", "Build information; the value is always 1.",
                {{"version", CHATTWO_VERSION}, {"compiler", __VERSION__}})
      .set(1);

  base::WorkerPool pool(workers, settings.worker_queue, "worker");
  // Argon2id: a few threads only, each hash holding argon2_memlimit bytes,
  // so logins can't take the storage workers or unbounded memory.
  const unsigned hashers = std::max(1u, cores() / 2);
  base::WorkerPool hashing_pool(hashers, 256, "hash");
  // Image uploads: one at a time per core (decoding is CPU-bound), each
  // holding one decoded image (tens of MB for a 50-megapixel photo) at most.
  base::WorkerPool media_pool(std::max(2u, cores()), 64, "media");
  // Real-time: STOMP over WebSocket. The hub takes this node's bus events
  // and fans them out to local subscribers.
  stomp::broker::Hub hub(services.bus);
  api::ChatStompApp stomp_app(services.accounts, services.rooms, services.messaging, services.room_events,
                              services.write_batch);
  stomp::broker::SessionLimits stomp_limits;
  stomp_limits.heartbeat = settings.stomp_heartbeat;
  stomp::broker::SessionContext stomp_ctx{hub, stomp_app, pool, metrics, stomp_limits};

  net::Server server(
      net::ServerSettings{settings.listen, settings.metrics_listen, net_threads, settings.max_header_bytes,
                          settings.max_connections, settings.header_timeout, settings.body_timeout,
                          settings.idle_timeout, settings.drain_grace, settings.shutdown_timeout,
                          settings.allowed_origins, host_of(settings.public_url)},
      net::ServerParts{main_router, &metrics_router, static_files ? &*static_files : nullptr, pool, hashing_pool,
                       metrics, health, &stomp_ctx, &media_pool});
  server.bind();

  // The test harness and scripts wait for exactly this line on stdout.
  std::printf("chattwo listening on %s\n", url_of(server.local_endpoint()).c_str());
  if (auto m = server.metrics_endpoint()) std::printf("chattwo metrics on %s\n", url_of(*m).c_str());
  std::fflush(stdout);
  spdlog::info("serving on {} with {} network and {} worker threads; data in {}", url_of(server.local_endpoint()),
               net_threads, workers, settings.data_dir);

  Janitor janitor(services.sessions, services.images, pool, clock);
  server.run();
  janitor.stop();
  // Connections are gone: nobody waits for queued work any more. Running
  // jobs finish before the database closes.
  media_pool.stop(/*drop_queued=*/true);
  hashing_pool.stop(/*drop_queued=*/true);
  pool.stop(/*drop_queued=*/true);
  spdlog::info("stopped cleanly");
  ::close(data_dir_lock);
  return 0;
}

}  // namespace chattwo::app
