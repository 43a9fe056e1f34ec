#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chat/message.hpp"
#include "chat/result.hpp"

namespace chattwo::chat {

/// What an append did: the message as stored, and whether this call stored
/// it (false: it is the earlier message with the same sender and clientMsgId).
struct Appended {
  Message message;
  bool created = false;
};

/// A window of a room's history, ascending by seq. `has_more`: visible
/// messages exist beyond it in the direction it was read (older for
/// `before`, newer for `after`).
struct MessagePage {
  std::vector<Message> messages;
  bool has_more = false;
};

/// Which window of history: the `limit` messages just before `before_seq`
/// (the newest when absent), or just after `after_seq`. Exactly one of the
/// two directions; never earlier than the reader's joined_seq.
struct PageQuery {
  std::optional<std::int64_t> before_seq;
  std::optional<std::int64_t> after_seq;
  std::size_t limit = 50;
};

/// Port: messages, each room's sequence counter and its members' read marks
/// (SQLite by default; DynamoDB for messages when scaled out).
/// Methods block: call them from a worker thread.
class MessageStore {
 public:
  virtual ~MessageStore() = default;

  /// Stores `draft` (id, room_id, sender_id, type, text, image_id,
  /// client_msg_id, created_at_ms; its seq and unread_count are ignored)
  /// as the room's next seq, atomically: concurrent appends to one room get
  /// consecutive seqs with no gaps and no repeats. In the same step the
  /// sender's last_read_seq moves to that seq, and the answer's
  /// unread_count counts the members still below it.
  ///
  /// Idempotent on (sender_id, client_msg_id): when the sender already
  /// stored a message with that client_msg_id in this room, that message is
  /// returned (created = false, unread_count as of now) and nothing changes;
  /// Code::conflict when it was in another room. Code::not_found when the
  /// room does not exist or a sender is not a member of it. System messages
  /// (no sender) skip the membership check and carry unread_count 0.
  virtual Result<Appended> append(const Message& draft) = 0;

  /// append() for each draft, in order, with the same results as appending
  /// them one by one (a repeated clientMsgId among them returns the first).
  /// An adapter serves a run of one sender's drafts to one room (a
  /// connection's pipelined SENDs) with one seq update and one read-mark
  /// update for the run; this default just loops.
  virtual std::vector<Result<Appended>> append_all(const std::vector<Message>& drafts) {
    std::vector<Result<Appended>> out;
    out.reserve(drafts.size());
    for (const auto& d : drafts) out.push_back(append(d));
    return out;
  }

  /// Moves `user_id`'s read mark in the room to `seq`, clamped to the room's
  /// last seq, and only forward. Code::not_found when the user is not a
  /// member (or there is no such room).
  virtual Result<ReadMark> mark_read(std::string_view room_id, std::string_view user_id, std::int64_t seq) = 0;

  /// How many members of the room have last_read_seq < seq now.
  virtual std::int64_t count_unread(std::string_view room_id, std::int64_t seq) = 0;

  /// A page of the room's history as `reader_id` may see it (seq >= their
  /// joined_seq), each message with its unread_count as of now, from one
  /// consistent read. Reads a range of the (room, seq) index, never the
  /// room's whole history. Code::not_found when the reader is not a member.
  virtual Result<MessagePage> page(std::string_view room_id, std::string_view reader_id, const PageQuery& query) = 0;
};

}  // namespace chattwo::chat
