#include "store/sqlite/append_message.hpp"

#include <algorithm>
#include <string>

#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

std::int64_t unread_count_on(Connection& conn, const chat::Message& message) {
  // System messages never count as unread (API.md).
  if (message.type == chat::MessageType::system) return 0;
  Statement q = conn.prepare("SELECT COUNT(*) FROM room_members WHERE room_id = ?1 AND last_read_seq < ?2");
  q.bind(1, message.room_id).bind(2, message.seq);
  q.step();
  return q.integer(0);
}

chat::Result<chat::Appended> append_message(Connection& conn, const chat::Message& draft) {
  // A retry finds its original under the same write lock that any
  // concurrent first attempt holds, so the two can't both insert.
  if (draft.sender_id && draft.client_msg_id) {
    static const std::string kFindRetry =
        "SELECT " + std::string(kMessageColumns) + " FROM messages WHERE sender_id = ?1 AND client_msg_id = ?2";
    Statement q = conn.prepare(kFindRetry);
    q.bind(1, draft.sender_id).bind(2, draft.client_msg_id);
    if (q.step()) {
      chat::Message original = read_message(q);
      if (original.room_id != draft.room_id) {
        return chat::fail(chat::Error::conflict("clientMsgId was already used for a message in another room"));
      }
      original.unread_count = unread_count_on(conn, original);
      return chat::Appended{std::move(original), false};
    }
  }

  // Take the next seq, and for a sender only as a member: the membership
  // check and the counter are one statement, so nobody who has left can
  // still post.
  // The member count comes along: a new message is unread by every member
  // but its sender, whose mark moves to it below (every mark is at most the
  // old last_seq), so no count of the marks is needed.
  std::int64_t seq = 0;
  std::int64_t members = 0;
  {
    Statement next = conn.prepare(
        "UPDATE rooms SET last_seq = last_seq + 1, last_activity_at = max(last_activity_at, ?2)"
        " WHERE id = ?1 AND (?3 IS NULL OR EXISTS"
        " (SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?3))"
        " RETURNING last_seq, (SELECT COUNT(*) FROM room_members WHERE room_id = ?1)");
    next.bind(1, draft.room_id).bind(2, draft.created_at_ms).bind(3, draft.sender_id);
    if (!next.step()) return chat::fail(chat::Error::not_found("no such room, or the sender is not a member"));
    seq = next.integer(0);
    members = next.integer(1);
    next.run();
  }

  Statement insert = conn.prepare(
      "INSERT INTO messages (id, room_id, seq, sender_id, type, text, image_id, client_msg_id, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind(1, draft.id).bind(2, draft.room_id).bind(3, seq).bind(4, draft.sender_id);
  insert.bind(5, chat::to_string(draft.type)).bind(6, draft.text).bind(7, draft.image_id);
  insert.bind(8, draft.client_msg_id).bind(9, draft.created_at_ms);
  insert.run();

  // The sender has read what they wrote (and everything before it).
  if (draft.sender_id) {
    Statement read = conn.prepare(
        "UPDATE room_members SET last_read_seq = ?3 WHERE room_id = ?1 AND user_id = ?2 AND last_read_seq < ?3");
    read.bind(1, draft.room_id).bind(2, *draft.sender_id).bind(3, seq).run();
  }

  chat::Message stored = draft;
  stored.seq = seq;
  stored.unread_count = draft.type == chat::MessageType::system ? 0 : std::max<std::int64_t>(0, members - 1);
  return chat::Appended{std::move(stored), true};
}

}  // namespace chattwo::store::sqlite
