#pragma once
// A NotificationSink for tests: keeps what would have gone live.
#include <mutex>
#include <vector>

#include "chat/notification_sink.hpp"

namespace chattwo::chat::testing {

class RecordingSink final : public NotificationSink {
 public:
  void notification_created(const NotificationView& view) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(view);
  }
  std::vector<NotificationView> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::mutex mutex_;
  std::vector<NotificationView> sent_;
};

}  // namespace chattwo::chat::testing
