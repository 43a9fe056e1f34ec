#pragma once
// The one machine-readable line chattwo-bench prints at the end: JSON with
// fixed key order and plain decimals (no exponents), so shell tools and
// people can both read it. Pure.
#include <cstdint>
#include <optional>
#include <string>

namespace chattwo::bench {

struct Summary {
  std::uint64_t connections = 0;  // subscribers asked for
  std::uint64_t rooms = 0;
  std::uint64_t publishers = 0;
  double duration_s = 0;          // measured window (after warm-up)
  std::uint64_t sent = 0;         // in the window
  std::uint64_t acked = 0;
  std::uint64_t delivered = 0;
  double deliveries_per_s = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  double setup_s = 0;             // first connect .. all subscribed
  std::uint64_t errors = 0;       // the sum of the kinds below
  // Beyond the required fields:
  std::string mode;               // flat-out | rate | idle
  double rate = 0;
  std::uint64_t window = 0;
  std::uint64_t threads = 0;
  std::uint64_t users = 0;
  std::string run_id;             // [A-Za-z0-9_-] only
  double accounts_s = 0;          // REST sign-ups and rooms
  std::uint64_t connected = 0;    // connections that got ready (subscribers + publishers)
  std::uint64_t account_failed = 0, connect_failed = 0, rejected = 0, stomp_error = 0, dropped = 0;
  bool all_closed = false;
  bool has_server_rss = false;
  std::optional<std::uint64_t> server_rss_before_kib, server_rss_after_setup_kib, server_rss_end_kib,
      server_rss_max_kib;
  std::optional<std::uint64_t> bench_rss_kib;
};

/// One line of JSON, without the newline.
std::string to_json_line(const Summary& s);

}  // namespace chattwo::bench
