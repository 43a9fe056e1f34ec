#include "store/sqlite/sqlite_message_store.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>
#include <optional>
#include <string>

#include "store/sqlite/append_message.hpp"
#include "store/sqlite/image_rows.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/read_transaction.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

chat::Result<chat::Appended> SqliteMessageStore::append(const chat::Message& draft) {
  std::optional<chat::Result<chat::Appended>> out;
  // append_message checks (membership, a repeated clientMsgId) before its
  // first change, so it needs no savepoint inside a batch.
  db_.write_unguarded([&](Connection& conn) { out = append_message(conn, draft); });
  return std::move(*out);
}

std::vector<chat::Result<chat::Appended>> SqliteMessageStore::append_all(const std::vector<chat::Message>& drafts) {
  std::vector<chat::Result<chat::Appended>> out;
  db_.write_unguarded([&](Connection& conn) { out = append_messages(conn, drafts); });
  return out;
}

chat::Result<chat::ReadMark> SqliteMessageStore::mark_read(std::string_view room_id, std::string_view user_id,
                                                           std::int64_t seq) {
  std::optional<chat::ReadMark> mark;
  db_.write([&](Connection& conn) {
    std::int64_t current = 0;
    std::int64_t last_seq = 0;
    {
      Statement q = conn.prepare(
          "SELECT m.last_read_seq, r.last_seq FROM room_members m JOIN rooms r ON r.id = m.room_id"
          " WHERE m.room_id = ?1 AND m.user_id = ?2");
      q.bind(1, room_id).bind(2, user_id);
      if (!q.step()) return;
      current = q.integer(0);
      last_seq = q.integer(1);
    }
    // A client may claim to have read past the end (a stale or made-up
    // seq): it has read at most what exists.
    const std::int64_t target = std::min(seq, last_seq);
    mark = chat::ReadMark{std::string(room_id), std::string(user_id), current, false};
    if (target <= current) return;
    Statement update =
        conn.prepare("UPDATE room_members SET last_read_seq = ?3 WHERE room_id = ?1 AND user_id = ?2");
    update.bind(1, room_id).bind(2, user_id).bind(3, target).run();
    mark->last_read_seq = target;
    mark->moved = true;
  });
  if (!mark) return chat::fail(chat::Error::not_found("no such room, or the user is not a member"));
  return std::move(*mark);
}

std::int64_t SqliteMessageStore::count_unread(std::string_view room_id, std::int64_t seq) {
  auto lease = db_.acquire();
  Statement q = lease->prepare("SELECT COUNT(*) FROM room_members WHERE room_id = ?1 AND last_read_seq < ?2");
  q.bind(1, room_id).bind(2, seq);
  q.step();
  return q.integer(0);
}

chat::Result<chat::MessagePage> SqliteMessageStore::page(std::string_view room_id, std::string_view reader_id,
                                                         const chat::PageQuery& query) {
  auto lease = db_.acquire();
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);

  std::int64_t joined_seq = 0;
  {
    Statement q = conn.prepare("SELECT joined_seq FROM room_members WHERE room_id = ?1 AND user_id = ?2");
    q.bind(1, room_id).bind(2, reader_id);
    if (!q.step()) return chat::fail(chat::Error::not_found("no such room"));
    joined_seq = q.integer(0);
  }
  // Every member's read mark, sorted: a message's unread count is how many
  // are below its seq (a binary search per message, not a query).
  std::vector<std::int64_t> marks;
  {
    Statement q = conn.prepare("SELECT last_read_seq FROM room_members WHERE room_id = ?1 ORDER BY last_read_seq");
    q.bind(1, room_id);
    while (q.step()) marks.push_back(q.integer(0));
  }

  const auto fetch = static_cast<std::int64_t>(query.limit) + 1;  // one more says whether there is more
  chat::MessagePage page;
  if (query.after_seq) {
    Statement q = conn.prepare("SELECT " + std::string(kMessageColumns) +
                               " FROM messages WHERE room_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    q.bind(1, room_id).bind(2, std::max(*query.after_seq, joined_seq - 1)).bind(3, fetch);
    while (q.step()) page.messages.push_back(read_message(q));
  } else {
    Statement q = conn.prepare("SELECT " + std::string(kMessageColumns) +
                               " FROM messages WHERE room_id = ?1 AND seq >= ?2 AND seq < ?3"
                               " ORDER BY seq DESC LIMIT ?4");
    q.bind(1, room_id).bind(2, joined_seq).bind(3, query.before_seq.value_or(std::numeric_limits<std::int64_t>::max())).bind(4, fetch);
    while (q.step()) page.messages.push_back(read_message(q));
    std::reverse(page.messages.begin(), page.messages.end());
  }
  if (page.messages.size() > query.limit) {
    page.has_more = true;
    // The extra row is the oldest of a `before` read, the newest of an `after` one.
    if (query.after_seq) page.messages.pop_back();
    else page.messages.erase(page.messages.begin());
  }
  std::vector<chat::Message*> shown;
  for (auto& m : page.messages) {
    shown.push_back(&m);
    if (m.type == chat::MessageType::system) continue;  // never unread (API.md)
    m.unread_count = std::lower_bound(marks.begin(), marks.end(), m.seq) - marks.begin();
  }
  attach_images(conn, shown);
  return page;
}

}  // namespace chattwo::store::sqlite
