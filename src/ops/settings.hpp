#pragma once
// Every setting of `chattwo serve`, typed. Only app/ fills this in (from
// defaults, a TOML file, CHATTWO_* variables and flags); every other layer
// gets the part it needs in its constructor.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chattwo::ops {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;  // 0: any free port
  bool operator==(const Endpoint&) const = default;
};

enum class LogFormat { text, json };

// Where image bytes live (chat::BlobStore): a local folder, or S3.
enum class BlobStoreKind { fs, s3 };

struct S3StoreSettings {
  std::string endpoint;  // empty: https://s3.<region>.amazonaws.com; else e.g. http://127.0.0.1:9000
  std::string region = "us-east-1";
  std::string bucket;
  // Secrets: from the file or the environment (a flag shows in `ps`); the
  // repository never holds a value.
  std::string access_key_id;
  std::string secret_access_key;
  bool path_style = false;                     // <endpoint>/<bucket>/<key> (MinIO, s3rver) vs <bucket>.<host>/<key>
  std::chrono::seconds presign_expiry{300};    // how long a redirect to a presigned GET works
  std::string cloudfront_url;                  // set: redirect to <it>/<key>, unsigned, instead
};

struct ImageStoreSettings {
  BlobStoreKind store = BlobStoreKind::fs;
  std::string dir;  // fs: the folder; app/ sets <data_dir>/images when not given
  S3StoreSettings s3;
};

struct Settings {
  // Where to listen and serve from.
  Endpoint listen{"127.0.0.1", 8080};
  std::optional<Endpoint> metrics_listen;  // a separate port for Prometheus
  std::string data_dir = "data";
  std::string web_dir;  // default: the source tree's web/ (set by app/)
  std::string public_url;  // e.g. https://chat.example.com: https makes cookies Secure
  std::vector<std::string> allowed_origins;  // empty: the server's own origin only

  // Threads.
  unsigned threads = 0;         // network threads; 0: one per core
  unsigned workers = 0;         // blocking-work threads (SQLite, Argon2id); 0: 2 per core, at least 4
  std::size_t worker_queue = 4096;  // jobs waiting for a worker before requests get 503

  // Logging.
  LogFormat log_format = LogFormat::text;
  std::string log_level = "info";

  // HTTP limits and timeouts.
  std::size_t max_header_bytes = 16 * 1024;   // API.md: 431 beyond
  std::size_t max_json_body_bytes = 1 << 20;  // API.md: 413 beyond
  std::size_t max_connections = 20'000;       // beyond, new connections are closed at once
  std::chrono::milliseconds header_timeout{10'000};  // whole request head; kills slowloris
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds drain_grace{0};          // /readyz 503 while still serving, on SIGTERM
  std::chrono::milliseconds shutdown_timeout{30'000};  // then in-flight requests get this long

  // STOMP: the heart-beat interval offered in CONNECTED (both directions).
  std::chrono::milliseconds stomp_heartbeat{10'000};

  // Abuse limits (API.md "Limits against abuse").
  unsigned max_send_rate = 50;  // messages per user per second; 0 = off
  std::size_t login_max_failures_per_email = 10;
  std::size_t login_max_failures_per_address = 100;
  std::chrono::milliseconds login_failure_window{15 * 60 * 1000};

  // Images.
  ImageStoreSettings images;

  // Password hashing (Argon2id).
  std::size_t argon2_memlimit_bytes = 64 * 1024 * 1024;
  unsigned argon2_opslimit = 2;
};

}  // namespace chattwo::ops
