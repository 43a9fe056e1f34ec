#pragma once
// Whether a browser's Origin may act on this server: the same origin as the
// Host it asked for, or one of the configured allowed origins. Used for
// state-changing requests and (later) WebSocket handshakes.
#include <string>
#include <string_view>
#include <vector>

namespace chattwo::api {

class OriginPolicy {
 public:
  explicit OriginPolicy(std::vector<std::string> allowed) : allowed_(std::move(allowed)) {}

  /// True when `origin` is absent (a non-browser client), same-origin with
  /// `host`, or allowed by configuration.
  bool allows(std::string_view origin, std::string_view host) const {
    if (origin.empty()) return true;
    for (const auto& a : allowed_) {
      if (a == origin || a == "*") return true;
    }
    for (std::string_view scheme : {"http://", "https://"}) {
      if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) && origin.ends_with(host)) {
        return !host.empty();
      }
    }
    return false;
  }

 private:
  std::vector<std::string> allowed_;
};

}  // namespace chattwo::api
