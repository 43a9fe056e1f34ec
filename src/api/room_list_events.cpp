#include "api/room_list_events.hpp"

#include <boost/json/serialize.hpp>

#include "api/notification_events.hpp"

namespace chattwo::api {

std::string RoomListEvents::room_event_json(const chat::RoomSummary& summary, const UsersById& users) {
  boost::json::object o;
  o["room"] = room_summary_json(summary, users);
  return boost::json::serialize(o);
}

void RoomListEvents::views_changed(const std::vector<chat::MemberSummary>& views) {
  std::vector<std::string> shown;
  for (const auto& v : views) {
    shown.insert(shown.end(), v.summary.first_other_member_ids.begin(), v.summary.first_other_member_ids.end());
  }
  const UsersById users = find_users_by_id(accounts_, std::move(shown));
  std::vector<chat::BusEvent> events;
  events.reserve(views.size());
  for (const auto& v : views) {
    events.push_back({user_topic(v.user_id), "room", room_event_json(v.summary, users)});
  }
  bus_.publish_all(std::move(events));
}

}  // namespace chattwo::api
