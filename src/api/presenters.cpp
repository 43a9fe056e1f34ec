#include "api/presenters.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "base/time_format.hpp"

namespace chattwo::api {

boost::json::object user_json(const chat::User& user, bool is_self) {
  boost::json::object o;
  o["id"] = user.id;
  o["name"] = user.name;
  if (user.avatar) o["avatar"] = image_json(*user.avatar);
  else o["avatar"] = nullptr;
  o["statusMessage"] = user.status_message;
  o["createdAt"] = base::format_rfc3339_ms(user.created_at_ms);
  if (is_self) {
    o["email"] = user.email ? boost::json::value(*user.email) : boost::json::value(nullptr);
  }
  return o;
}

boost::json::object image_json(const chat::Image& image) {
  boost::json::object o;
  o["id"] = image.id;
  o["url"] = image_url(image.id, chat::ImageVariant::full);
  o["thumbUrl"] = image_url(image.id, chat::ImageVariant::thumbnail);
  o["width"] = image.width;
  o["height"] = image.height;
  o["contentType"] = image.content_type;
  return o;
}

std::string image_url(std::string_view image_id, chat::ImageVariant variant) {
  std::string url = "/api/v1/images/";
  url += image_id;
  if (variant == chat::ImageVariant::thumbnail) url += "/thumb";
  return url;
}

boost::json::object message_object(const chat::Message& message) {
  boost::json::object o;
  o["id"] = message.id;
  o["roomId"] = message.room_id;
  o["seq"] = message.seq;
  o["senderId"] = message.sender_id ? boost::json::value(*message.sender_id) : boost::json::value(nullptr);
  o["type"] = chat::to_string(message.type);
  if (message.type != chat::MessageType::image) o["text"] = message.text;
  if (message.image) o["image"] = image_json(*message.image);
  if (message.client_msg_id) o["clientMsgId"] = *message.client_msg_id;
  if (message.system) {
    boost::json::array user_ids;
    for (const auto& id : message.system->user_ids) user_ids.emplace_back(id);
    o["system"] = boost::json::object{{"action", chat::to_string(message.system->action)},
                                      {"actorId", message.system->actor_id},
                                      {"userIds", std::move(user_ids)}};
  }
  o["createdAt"] = base::format_rfc3339_ms(message.created_at_ms);
  o["unreadCount"] = message.unread_count;
  return o;
}

boost::json::object room_json(const chat::Room& room, const UsersById& users,
                              std::string_view caller_id) {
  boost::json::object o;
  o["id"] = room.id;
  o["kind"] = chat::to_string(room.kind);
  o["name"] = room.name;
  o["createdAt"] = base::format_rfc3339_ms(room.created_at_ms);
  o["lastSeq"] = room.last_seq;
  boost::json::array members;
  for (const auto& m : room.members) {
    auto user = users.find(m.user_id);
    if (user == users.end()) continue;
    boost::json::object entry;
    entry["user"] = user_json(user->second, m.user_id == caller_id);
    entry["lastReadSeq"] = m.last_read_seq;
    entry["joinedSeq"] = m.joined_seq;
    members.push_back(std::move(entry));
  }
  o["members"] = std::move(members);
  return o;
}

boost::json::object message_page_json(const chat::MessagePage& page) {
  boost::json::array messages;
  messages.reserve(page.messages.size());
  for (const auto& m : page.messages) messages.push_back(message_object(m));
  boost::json::object o;
  o["messages"] = std::move(messages);
  o["hasMore"] = page.has_more;
  return o;
}

UsersById find_users_by_id(chat::AccountService& accounts, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  UsersById users;
  for (auto& u : accounts.find_users(ids)) {
    std::string id = u.id;
    users.emplace(std::move(id), std::move(u));
  }
  return users;
}

boost::json::object room_summary_json(const chat::RoomSummary& summary,
                                      const UsersById& users) {
  boost::json::object o;
  o["id"] = summary.id;
  o["kind"] = chat::to_string(summary.kind);
  o["name"] = summary.name;
  o["memberCount"] = summary.member_count;
  boost::json::array members;
  for (const auto& id : summary.first_other_member_ids) {
    if (auto it = users.find(id); it != users.end()) members.push_back(user_json(it->second, false));
  }
  o["members"] = std::move(members);
  if (summary.last_message) o["lastMessage"] = message_object(*summary.last_message);
  else o["lastMessage"] = nullptr;
  o["unreadCount"] = summary.unread_count;
  return o;
}

Response json_response(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace chattwo::api
