#pragma once
// Domain values as the JSON of API.md.
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "chat/message.hpp"
#include "chat/message_store.hpp"
#include "chat/room.hpp"
#include "chat/user.hpp"

namespace chattwo::api {

/// User JSON; `email` only when `is_self` (other users' emails never leave).
boost::json::object user_json(const chat::User& user, bool is_self);

/// Message JSON: "text" for text and system messages, "clientMsgId" when
/// the sender gave one, "senderId" null for system messages.
boost::json::object message_object(const chat::Message& message);

/// {"messages": [Message] ascending, "hasMore"}: a page of history.
boost::json::object message_page_json(const chat::MessagePage& page);

/// Room JSON with each member as {"user", "lastReadSeq", "joinedSeq"}.
/// `users` holds the members' accounts (a member missing from it is left
/// out); only `caller_id`'s own User carries an email.
boost::json::object room_json(const chat::Room& room, const std::map<std::string, chat::User, std::less<>>& users,
                              std::string_view caller_id);

/// RoomSummary JSON: {"id","kind","name","memberCount","members": [User]
/// (the first four others, each found in `users`), "lastMessage": Message
/// or null, "unreadCount"}.
boost::json::object room_summary_json(const chat::RoomSummary& summary,
                                      const std::map<std::string, chat::User, std::less<>>& users);

/// A JSON response with `status`.
Response json_response(int status, const boost::json::value& body);
Response no_content();

}  // namespace chattwo::api
