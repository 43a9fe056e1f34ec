#pragma once
// Notifications as API.md's JSON, and their live delivery: each new one is
// serialised once and published on the bus to "users.<recipientId>", which
// every node's broker hands to that user's /user/queue/notifications.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "chat/event_bus.hpp"
#include "chat/notification.hpp"
#include "chat/notification_sink.hpp"

namespace chattwo::api {

/// "users.<userId>": a user's own bus topic (STOMP /user/queue/notifications).
std::string user_topic(std::string_view user_id);

/// {"id", "type", "actor": User (never with an email), "roomId"?,
/// "createdAt", "read"}.
boost::json::object notification_object(const chat::NotificationView& view);

/// The NotificationSink of the domain: event "notification" with the
/// Notification JSON on the recipient's topic. Thread-safe (as the bus is).
class NotificationEvents final : public chat::NotificationSink {
 public:
  explicit NotificationEvents(chat::EventBus& bus) : bus_(bus) {}
  void notification_created(const chat::NotificationView& view) override;

  /// The event, made but not published.
  static chat::BusEvent notification_event(const chat::NotificationView& view);

 private:
  chat::EventBus& bus_;
};

}  // namespace chattwo::api
