#pragma once
// Domain values as the JSON of API.md.
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"
#include "chat/account_service.hpp"
#include "chat/image.hpp"
#include "chat/message.hpp"
#include "chat/message_store.hpp"
#include "chat/room.hpp"
#include "chat/user.hpp"

namespace chattwo::api {

/// User JSON; `email` only when `is_self` (other users' emails never leave).
boost::json::object user_json(const chat::User& user, bool is_self);

/// Image JSON: {"id", "url", "thumbUrl", "width", "height", "contentType"}.
boost::json::object image_json(const chat::Image& image);
/// Where GET serves an image: /api/v1/images/{id} and /api/v1/images/{id}/thumb.
std::string image_url(std::string_view image_id, chat::ImageVariant variant);

/// Message JSON: "text" for text and system messages, "clientMsgId" when
/// the sender gave one, "senderId" null for system messages.
boost::json::object message_object(const chat::Message& message);

/// {"messages": [Message] ascending, "hasMore"}: a page of history.
boost::json::object message_page_json(const chat::MessagePage& page);

/// Users by id, for the presenters that show other members.
using UsersById = std::map<std::string, chat::User, std::less<>>;
/// The accounts of `ids` (repeats allowed), found in one lookup.
UsersById find_users_by_id(chat::AccountService& accounts, std::vector<std::string> ids);

/// Room JSON with each member as {"user", "lastReadSeq", "joinedSeq"}.
/// `users` holds the members' accounts (a member missing from it is left
/// out); only `caller_id`'s own User carries an email.
boost::json::object room_json(const chat::Room& room, const UsersById& users,
                              std::string_view caller_id);

/// RoomSummary JSON: {"id","kind","name","memberCount","members": [User]
/// (the first four others, each found in `users`), "lastMessage": Message
/// or null, "unreadCount"}.
boost::json::object room_summary_json(const chat::RoomSummary& summary,
                                      const UsersById& users);

/// A JSON response with `status`.
Response json_response(int status, const boost::json::value& body);
Response no_content();

}  // namespace chattwo::api
