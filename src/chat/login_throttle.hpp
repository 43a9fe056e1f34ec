#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chattwo::chat {

struct LoginThrottleSettings {
  std::size_t max_failures_per_email = 10;     // API.md "Limits against abuse"
  std::size_t max_failures_per_address = 100;  // ditto
  std::int64_t window_ms = 15 * 60 * 1000;     // ditto: 15 minutes
  // Keys remembered at most per kind; past it the oldest-touched half is
  // forgotten. 100k keys x ~200 B bounds memory to ~20 MB under a spray of
  // made-up emails.
  std::size_t max_keys = 100'000;
};

/// Counts failed logins per email and per client address in a sliding
/// window. Once either count reaches its limit, every attempt is refused
/// (whatever the password) until the oldest failure leaves the window.
/// Thread-safe. Per node for now; the Redis adapter shares it later.
class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleSettings settings) : settings_(settings) {}

  /// Starts an attempt: 0 when it may go ahead, else the seconds until one
  /// may. An attempt that goes ahead counts as a failure from this moment,
  /// so that parallel guesses can't all pass the check before any of them
  /// is recorded; record_success() takes it back.
  std::int64_t begin_attempt(std::string_view email, std::string_view address, std::int64_t now_ms);
  /// The attempt begun for `email` from `address` succeeded: clears the
  /// email's failures and takes back the address's pending one.
  void record_success(std::string_view email, std::string_view address);

  /// 0 when an attempt may go ahead, else the seconds until it may (no side effects).
  std::int64_t retry_after_s(std::string_view email, std::string_view address, std::int64_t now_ms);

 private:
  using Failures = std::deque<std::int64_t>;  // times of failures, oldest first
  using Table = std::unordered_map<std::string, Failures>;

  std::int64_t retry_after_locked(std::string_view email, std::string_view address, std::int64_t now_ms);
  std::int64_t blocked_for(Table& table, std::string_view key, std::size_t limit, std::int64_t now_ms);
  void add(Table& table, std::string_view key, std::size_t limit, std::int64_t now_ms);
  void prune(Table& table, std::int64_t now_ms);

  const LoginThrottleSettings settings_;
  std::mutex mutex_;
  Table by_email_;
  Table by_address_;
};

}  // namespace chattwo::chat
