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

  /// 0 when an attempt may go ahead, else the seconds until it may.
  std::int64_t retry_after_s(std::string_view email, std::string_view address, std::int64_t now_ms);
  void record_failure(std::string_view email, std::string_view address, std::int64_t now_ms);
  /// A successful login clears the email's failures (not the address's).
  void record_success(std::string_view email);

 private:
  using Failures = std::deque<std::int64_t>;  // times of failures, oldest first
  using Table = std::unordered_map<std::string, Failures>;

  std::int64_t blocked_for(Table& table, std::string_view key, std::size_t limit, std::int64_t now_ms);
  void add(Table& table, std::string_view key, std::size_t limit, std::int64_t now_ms);
  void prune(Table& table, std::int64_t now_ms);

  const LoginThrottleSettings settings_;
  std::mutex mutex_;
  Table by_email_;
  Table by_address_;
};

}  // namespace chattwo::chat
