#include "chat/send_rate_limiter.hpp"

#include <algorithm>

namespace chattwo::chat {

bool SendRateLimiter::try_send(std::string_view user_id, std::int64_t now_ms) {
  if (rate_ == 0) return true;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(user_id));
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxBuckets) {
      std::erase_if(buckets_, [&](const auto& entry) {
        const auto& b = entry.second;
        return b.tokens + (now_ms - b.updated_ms) * rate_ / 1000.0 >= burst_;
      });
    }
    it = buckets_.emplace(std::string(user_id), Bucket{burst_, now_ms}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + std::max<std::int64_t>(0, now_ms - b.updated_ms) * rate_ / 1000.0);
  b.updated_ms = now_ms;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace chattwo::chat
