#include "store/sqlite/append_message.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/sqlite/image_rows.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {
namespace {

// The sender's earlier message with this draft's clientMsgId, if any. A
// retry finds its original under the same write lock that any concurrent
// first attempt holds, so the two can't both insert.
std::optional<chat::Message> find_original(Connection& conn, const chat::Message& draft) {
  if (!draft.sender_id || !draft.client_msg_id) return std::nullopt;
  static const std::string kFindRetry =
      "SELECT " + std::string(kMessageColumns) + " FROM messages WHERE sender_id = ?1 AND client_msg_id = ?2";
  Statement q = conn.prepare(kFindRetry);
  q.bind(1, draft.sender_id).bind(2, draft.client_msg_id);
  if (!q.step()) return std::nullopt;
  return read_message(q);
}

// What a retry answers: the original, or a conflict when it was sent to
// another room.
chat::Result<chat::Appended> answer_retry(Connection& conn, const chat::Message& draft, chat::Message original) {
  if (original.room_id != draft.room_id) {
    return chat::fail(chat::Error::conflict("clientMsgId was already used for a message in another room"));
  }
  original.unread_count = unread_count_on(conn, original);
  attach_images(conn, {&original});
  return chat::Appended{std::move(original), false};
}

struct SeqRange {
  std::int64_t last = 0;     // the last of the `count` seqs taken
  std::int64_t members = 0;  // the room's member count
};

// Takes the room's next `count` seqs, and for a sender only as a member:
// the membership check and the counter are one statement, so nobody who
// has left can still post. The member count comes along: a new message is
// unread by every member but its sender (every mark is at most the old
// last_seq), so no count of the marks is needed.
std::optional<SeqRange> take_seqs(Connection& conn, const chat::Message& first, std::int64_t count,
                                  std::int64_t latest_ms) {
  Statement next = conn.prepare(
      "UPDATE rooms SET last_seq = last_seq + ?4, last_activity_at = max(last_activity_at, ?2)"
      " WHERE id = ?1 AND (?3 IS NULL OR EXISTS"
      " (SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?3))"
      " RETURNING last_seq, (SELECT COUNT(*) FROM room_members WHERE room_id = ?1)");
  next.bind(1, first.room_id).bind(2, latest_ms).bind(3, first.sender_id).bind(4, count);
  if (!next.step()) return std::nullopt;
  SeqRange range{next.integer(0), next.integer(1)};
  next.run();
  return range;
}

chat::Message insert_message(Connection& conn, const chat::Message& draft, std::int64_t seq, std::int64_t members) {
  Statement insert = conn.prepare(
      "INSERT INTO messages (id, room_id, seq, sender_id, type, text, image_id, client_msg_id, created_at,"
      " system_action, system_actor_id, system_user_ids)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  insert.bind(1, draft.id).bind(2, draft.room_id).bind(3, seq).bind(4, draft.sender_id);
  insert.bind(5, chat::to_string(draft.type)).bind(6, draft.text).bind(7, draft.image_id);
  insert.bind(8, draft.client_msg_id).bind(9, draft.created_at_ms);
  if (draft.system) {
    insert.bind(10, chat::to_string(draft.system->action)).bind(11, draft.system->actor_id);
    insert.bind(12, join_ids(draft.system->user_ids));
  } else {
    insert.bind(10, std::optional<std::string>{}).bind(11, std::optional<std::string>{}).bind(12, std::optional<std::string>{});
  }
  insert.run();
  chat::Message stored = draft;
  stored.seq = seq;
  stored.unread_count = draft.type == chat::MessageType::system ? 0 : std::max<std::int64_t>(0, members - 1);
  return stored;
}

// The sender has read what they wrote (and everything before it).
void move_senders_mark(Connection& conn, const chat::Message& draft, std::int64_t seq) {
  if (!draft.sender_id) return;
  Statement read = conn.prepare(
      "UPDATE room_members SET last_read_seq = ?3 WHERE room_id = ?1 AND user_id = ?2 AND last_read_seq < ?3");
  read.bind(1, draft.room_id).bind(2, *draft.sender_id).bind(3, seq).run();
}

chat::Error no_room_or_member() { return chat::Error::not_found("no such room, or the sender is not a member"); }

// A JSON array of strings, for json_each(): clientMsgIds are visible ASCII
// (chat::check_client_msg_id), so only '"' and '\\' need escaping.
std::string json_string_array(const std::vector<chat::Message>& drafts, std::size_t begin, std::size_t end) {
  std::string out = "[";
  for (std::size_t i = begin; i < end; ++i) {
    if (!drafts[i].client_msg_id) continue;
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : *drafts[i].client_msg_id) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += ']';
  return out;
}

// The sender's stored messages with any of the run's clientMsgIds, in one
// statement (one index lookup per id) rather than one statement per draft.
std::unordered_map<std::string, chat::Message> find_originals(Connection& conn, const std::vector<chat::Message>& drafts,
                                                              std::size_t begin, std::size_t end) {
  std::unordered_map<std::string, chat::Message> found;
  static const std::string kFindRetries = "SELECT " + std::string(kMessageColumns) +
                                          " FROM messages WHERE sender_id = ?1 AND client_msg_id IN"
                                          " (SELECT value FROM json_each(?2))";
  Statement q = conn.prepare(kFindRetries);
  q.bind(1, drafts[begin].sender_id).bind(2, json_string_array(drafts, begin, end));
  while (q.step()) {
    chat::Message m = read_message(q);
    std::string key = *m.client_msg_id;
    found.emplace(std::move(key), std::move(m));
  }
  return found;
}

// One sender's consecutive drafts to one room, [begin, end) of `drafts`.
void append_run(Connection& conn, const std::vector<chat::Message>& drafts, std::size_t begin, std::size_t end,
                std::vector<std::optional<chat::Result<chat::Appended>>>& out) {
  // Retries of stored messages answer at once; a clientMsgId repeated
  // within the run answers with its first occurrence's message.
  auto originals = find_originals(conn, drafts, begin, end);
  std::vector<std::size_t> fresh;
  std::unordered_map<std::string_view, std::size_t> first_use;  // clientMsgId -> index in drafts
  std::vector<std::pair<std::size_t, std::size_t>> repeats;    // (index, index of its first use)
  std::int64_t latest_ms = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const chat::Message& d = drafts[i];
    if (d.client_msg_id) {
      if (auto it = first_use.find(*d.client_msg_id); it != first_use.end()) {
        repeats.emplace_back(i, it->second);
        continue;
      }
      if (auto original = originals.find(*d.client_msg_id); original != originals.end()) {
        out[i] = answer_retry(conn, d, original->second);
        continue;
      }
      first_use.emplace(*d.client_msg_id, i);
    }
    fresh.push_back(i);
    latest_ms = std::max(latest_ms, d.created_at_ms);
  }
  if (!fresh.empty()) {
    const auto range = take_seqs(conn, drafts[fresh.front()], static_cast<std::int64_t>(fresh.size()), latest_ms);
    if (!range) {
      for (std::size_t i : fresh) out[i] = chat::fail(no_room_or_member());
    } else {
      std::int64_t seq = range->last - static_cast<std::int64_t>(fresh.size()) + 1;
      for (std::size_t i : fresh) out[i] = chat::Appended{insert_message(conn, drafts[i], seq++, range->members), true};
      move_senders_mark(conn, drafts[fresh.front()], range->last);
    }
  }
  for (auto [i, first] : repeats) {
    const auto& earlier = *out[first];
    if (earlier) {
      out[i] = chat::Appended{earlier->message, false};
    } else {
      out[i] = chat::fail(earlier.error());
    }
  }
}

}  // namespace

std::int64_t unread_count_on(Connection& conn, const chat::Message& message) {
  // System messages never count as unread (API.md).
  if (message.type == chat::MessageType::system) return 0;
  Statement q = conn.prepare("SELECT COUNT(*) FROM room_members WHERE room_id = ?1 AND last_read_seq < ?2");
  q.bind(1, message.room_id).bind(2, message.seq);
  q.step();
  return q.integer(0);
}

chat::Result<chat::Appended> append_message(Connection& conn, const chat::Message& draft) {
  if (auto original = find_original(conn, draft)) return answer_retry(conn, draft, std::move(*original));
  const auto range = take_seqs(conn, draft, 1, draft.created_at_ms);
  if (!range) return chat::fail(no_room_or_member());
  chat::Message stored = insert_message(conn, draft, range->last, range->members);
  move_senders_mark(conn, draft, range->last);
  return chat::Appended{std::move(stored), true};
}

std::vector<chat::Result<chat::Appended>> append_messages(Connection& conn, const std::vector<chat::Message>& drafts) {
  std::vector<std::optional<chat::Result<chat::Appended>>> out(drafts.size());
  std::size_t begin = 0;
  while (begin < drafts.size()) {
    const chat::Message& first = drafts[begin];
    std::size_t end = begin + 1;
    // System messages (no sender) go one by one: they are rare.
    if (first.sender_id) {
      while (end < drafts.size() && drafts[end].room_id == first.room_id && drafts[end].sender_id == first.sender_id) ++end;
      append_run(conn, drafts, begin, end, out);
    } else {
      out[begin] = append_message(conn, first);
    }
    begin = end;
  }
  std::vector<chat::Result<chat::Appended>> results;
  results.reserve(out.size());
  for (auto& r : out) results.push_back(std::move(*r));
  return results;
}

}  // namespace chattwo::store::sqlite
