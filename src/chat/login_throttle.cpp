#include "chat/login_throttle.hpp"

#include <algorithm>
#include <vector>

namespace chattwo::chat {

std::int64_t LoginThrottle::retry_after_s(std::string_view email, std::string_view address,
                                          std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  return retry_after_locked(email, address, now_ms);
}

std::int64_t LoginThrottle::begin_attempt(std::string_view email, std::string_view address,
                                          std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (const auto wait_s = retry_after_locked(email, address, now_ms); wait_s > 0) return wait_s;
  add(by_email_, email, settings_.max_failures_per_email, now_ms);
  add(by_address_, address, settings_.max_failures_per_address, now_ms);
  return 0;
}

void LoginThrottle::record_success(std::string_view email, std::string_view address) {
  std::lock_guard lock(mutex_);
  by_email_.erase(std::string(email));
  if (auto it = by_address_.find(std::string(address)); it != by_address_.end() && !it->second.empty()) {
    it->second.pop_back();  // this attempt's pending failure (the newest, or one as new)
  }
}

std::int64_t LoginThrottle::retry_after_locked(std::string_view email, std::string_view address,
                                               std::int64_t now_ms) {
  const std::int64_t wait_ms =
      std::max(blocked_for(by_email_, email, settings_.max_failures_per_email, now_ms),
               blocked_for(by_address_, address, settings_.max_failures_per_address, now_ms));
  return wait_ms <= 0 ? 0 : (wait_ms + 999) / 1000;  // round up: never invite an early retry
}

std::int64_t LoginThrottle::blocked_for(Table& table, std::string_view key, std::size_t limit,
                                        std::int64_t now_ms) {
  auto it = table.find(std::string(key));
  if (it == table.end()) return 0;
  Failures& failures = it->second;
  while (!failures.empty() && failures.front() + settings_.window_ms <= now_ms) failures.pop_front();
  if (failures.size() < limit) return 0;
  // Blocked until enough failures age out that fewer than `limit` remain.
  return failures[failures.size() - limit] + settings_.window_ms - now_ms;
}

void LoginThrottle::add(Table& table, std::string_view key, std::size_t limit,
                        std::int64_t now_ms) {
  if (table.size() >= settings_.max_keys) prune(table, now_ms);
  Failures& failures = table[std::string(key)];
  failures.push_back(now_ms);
  // Only the newest `limit` failures decide anything; keep no more.
  while (failures.size() > limit) failures.pop_front();
}

void LoginThrottle::prune(Table& table, std::int64_t now_ms) {
  std::erase_if(table, [&](const auto& entry) {
    return entry.second.empty() || entry.second.back() + settings_.window_ms <= now_ms;
  });
  if (table.size() < settings_.max_keys) return;
  // Still full of live keys (a spray): forget the half touched longest ago.
  std::vector<std::int64_t> last;
  last.reserve(table.size());
  for (const auto& [key, failures] : table) last.push_back(failures.back());
  auto mid = last.begin() + static_cast<std::ptrdiff_t>(last.size() / 2);
  std::nth_element(last.begin(), mid, last.end());
  const std::int64_t cutoff = *mid;
  std::erase_if(table, [&](const auto& entry) { return entry.second.back() <= cutoff; });
  // Note: a spray can make this forget a blocked key; the address limit
  // still holds the sprayer back, and the table never outgrows its bound.
}

}  // namespace chattwo::chat
