#include "api/notification_events.hpp"

#include <boost/json/serialize.hpp>

#include "api/presenters.hpp"
#include "base/time_format.hpp"

namespace chattwo::api {

std::string user_topic(std::string_view user_id) {
  std::string topic = "users.";
  topic += user_id;
  return topic;
}

boost::json::object notification_object(const chat::NotificationView& view) {
  const chat::Notification& n = view.notification;
  boost::json::object o;
  o["id"] = n.id;
  o["type"] = chat::to_string(n.type);
  // The actor is never the recipient (nobody is notified of their own
  // doing), so this is always another user's public profile.
  o["actor"] = user_json(view.actor, false);
  if (n.room_id) o["roomId"] = *n.room_id;
  o["createdAt"] = base::format_rfc3339_ms(n.created_at_ms);
  o["read"] = n.read;
  return o;
}

void NotificationEvents::notification_created(const chat::NotificationView& view) {
  bus_.publish(notification_event(view));
}

chat::BusEvent NotificationEvents::notification_event(const chat::NotificationView& view) {
  return chat::BusEvent{user_topic(view.notification.recipient_id), "notification",
                        boost::json::serialize(notification_object(view))};
}

}  // namespace chattwo::api
