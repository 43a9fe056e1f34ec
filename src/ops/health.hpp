#pragma once
// Process health as /healthz and /readyz report it.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace chattwo::ops {

/// Ready means: not draining, and every registered check passes (storage
/// reachable, later the bus). Checks may block: call ready() from a worker.
class Health {
 public:
  using Check = std::function<bool()>;

  void add_check(std::string name, Check check) { checks_.push_back({std::move(name), std::move(check)}); }
  void start_draining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

  /// Empty when ready; otherwise what is not.
  std::string not_ready_reason() const {
    if (draining()) return "draining";
    for (const auto& [name, check] : checks_) {
      if (!check()) return name + " unreachable";
    }
    return {};
  }

 private:
  std::vector<std::pair<std::string, Check>> checks_;  // set up before serving, then read-only
  std::atomic<bool> draining_{false};
};

}  // namespace chattwo::ops
