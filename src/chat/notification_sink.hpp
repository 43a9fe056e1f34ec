#pragma once
#include "chat/notification.hpp"

namespace chattwo::chat {

/// Port: where a new notification goes live, to its recipient's
/// /user/queue/notifications on every node. The domain can't make JSON;
/// api/NotificationEvents serialises it once and publishes it on the bus.
/// Must not block on the network (the bus queues).
class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  /// Called once per notification, after it is stored.
  virtual void notification_created(const NotificationView& view) = 0;
};

}  // namespace chattwo::chat
