#pragma once
// Reading a messages row: the columns every message query selects, in
// this order, and the Message they make.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/message.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

inline constexpr std::string_view kMessageColumns =
    "id, room_id, seq, sender_id, type, text, image_id, client_msg_id, created_at,"
    " system_action, system_actor_id, system_user_ids";

inline chat::MessageType message_type(const std::string& text) {
  if (text == "image") return chat::MessageType::image;
  if (text == "system") return chat::MessageType::system;
  return chat::MessageType::text;
}

/// "invited" / "left" -> the action; anything else (NULL) -> no event.
inline std::optional<chat::SystemEvent::Action> system_action(const std::optional<std::string>& text) {
  if (text == "invited") return chat::SystemEvent::Action::invited;
  if (text == "left") return chat::SystemEvent::Action::left;
  return std::nullopt;
}

/// The space-separated ids of the system_user_ids column.
inline std::vector<std::string> split_ids(std::string_view joined) {
  std::vector<std::string> ids;
  while (!joined.empty()) {
    const auto space = joined.find(' ');
    if (space != 0) ids.emplace_back(joined.substr(0, space));
    if (space == std::string_view::npos) break;
    joined.remove_prefix(space + 1);
  }
  return ids;
}

inline std::string join_ids(const std::vector<std::string>& ids) {
  std::string joined;
  for (const auto& id : ids) {
    if (!joined.empty()) joined += ' ';
    joined += id;
  }
  return joined;
}

/// The Message of a row selected with kMessageColumns (unread_count 0).
inline chat::Message read_message(const Statement& row) {
  chat::Message m;
  m.id = row.text(0);
  m.room_id = row.text(1);
  m.seq = row.integer(2);
  m.sender_id = row.optional_text(3);
  m.type = message_type(row.text(4));
  m.text = row.text(5);
  m.image_id = row.optional_text(6);
  m.client_msg_id = row.optional_text(7);
  m.created_at_ms = row.integer(8);
  if (auto action = system_action(row.optional_text(9))) {
    m.system = chat::SystemEvent{*action, row.optional_text(10).value_or(""), split_ids(row.optional_text(11).value_or(""))};
  }
  return m;
}

}  // namespace chattwo::store::sqlite
