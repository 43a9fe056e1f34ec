#pragma once
// Reading a messages row: the columns every message query selects, in
// this order, and the Message they make.
#include <string>
#include <string_view>

#include "chat/message.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

inline constexpr std::string_view kMessageColumns =
    "id, room_id, seq, sender_id, type, text, image_id, client_msg_id, created_at";

inline chat::MessageType message_type(const std::string& text) {
  if (text == "image") return chat::MessageType::image;
  if (text == "system") return chat::MessageType::system;
  return chat::MessageType::text;
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
  return m;
}

}  // namespace chattwo::store::sqlite
