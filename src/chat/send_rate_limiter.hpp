#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chattwo::chat {

/// API.md "Limits against abuse": one user may send `rate` messages per
/// second, in bursts of up to four times that. A token bucket per user;
/// thread-safe; per node (a user's connections usually share one node).
class SendRateLimiter {
 public:
  /// `rate` 0 turns the limit off (benchmarks).
  explicit SendRateLimiter(unsigned rate) : rate_(rate), burst_(4.0 * rate) {}

  /// True when `user_id` may send one more message at `now_ms`; takes a token.
  bool try_send(std::string_view user_id, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_ms;
  };
  // Buckets kept at most; a full bucket carries no information, so those are
  // dropped first when the table is full (~50 B each: 100k users ~ 5 MB).
  static constexpr std::size_t kMaxBuckets = 100'000;

  const unsigned rate_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace chattwo::chat
