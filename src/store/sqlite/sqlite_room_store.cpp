#include "store/sqlite/sqlite_room_store.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include "store/sqlite/append_message.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/read_transaction.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {
namespace {

// The unique key of the direct room between two users: their ids sorted and
// joined by a space, so both sides find (and can create) only the same one.
std::string direct_key(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key(a);
  key += ' ';
  key += b;
  return key;
}

// One statement for the room and its members: a single read is a
// consistent snapshot, so last_seq and the read marks can't disagree.
constexpr std::string_view kRoomWithMembers =
    "SELECT r.id, r.kind, r.name, r.created_at, r.last_seq, m.user_id, m.joined_seq, m.last_read_seq"
    " FROM rooms r JOIN room_members m ON m.room_id = r.id";
// Members in the order they joined: by joined_seq, then by insertion.
constexpr std::string_view kMemberOrder = " ORDER BY m.joined_seq, m.rowid";

std::optional<chat::Room> read_room(Statement& q) {
  std::optional<chat::Room> room;
  while (q.step()) {
    if (!room) {
      room.emplace();
      room->id = q.text(0);
      room->kind = q.text(1) == "direct" ? chat::RoomKind::direct : chat::RoomKind::group;
      room->name = q.text(2);
      room->created_at_ms = q.integer(3);
      room->last_seq = q.integer(4);
    }
    room->members.push_back({q.text(5), q.integer(6), q.integer(7)});
  }
  return room;
}

}  // namespace

chat::Result<void> SqliteRoomStore::insert(const chat::Room& room) {
  const bool direct = room.kind == chat::RoomKind::direct;
  if (direct && room.members.size() != 2) {
    return chat::fail(chat::Error::internal("a direct room has exactly two members"));
  }
  try {
    db_.write([&](Connection& conn) {
      Statement q = conn.prepare(
          "INSERT INTO rooms (id, kind, name, direct_key, created_at, last_seq, last_activity_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5)");
      q.bind(1, room.id).bind(2, chat::to_string(room.kind)).bind(3, room.name);
      q.bind(4, direct ? std::optional<std::string>(direct_key(room.members[0].user_id, room.members[1].user_id))
                       : std::nullopt);
      q.bind(5, room.created_at_ms);
      q.run();
      for (const auto& m : room.members) {
        Statement add = conn.prepare(
            "INSERT INTO room_members (room_id, user_id, joined_seq, last_read_seq, joined_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5)");
        add.bind(1, room.id).bind(2, m.user_id).bind(3, m.joined_seq).bind(4, m.last_read_seq);
        add.bind(5, room.created_at_ms).run();
      }
    });
  } catch (const SqliteError& e) {
    if (e.is_unique_violation()) return chat::fail(chat::Error::conflict("the room exists"));
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) return chat::fail(chat::Error::not_found("no user with this id"));
    throw;
  }
  return {};
}

std::optional<chat::Room> SqliteRoomStore::find(std::string_view room_id) {
  auto lease = db_.acquire();
  Statement q = lease->prepare(std::string(kRoomWithMembers) + " WHERE r.id = ?1" + std::string(kMemberOrder));
  q.bind(1, room_id);
  return read_room(q);
}

std::optional<chat::Room> SqliteRoomStore::find_direct(std::string_view user_a, std::string_view user_b) {
  auto lease = db_.acquire();
  Statement q =
      lease->prepare(std::string(kRoomWithMembers) + " WHERE r.direct_key = ?1" + std::string(kMemberOrder));
  q.bind(1, direct_key(user_a, user_b));
  return read_room(q);
}

bool SqliteRoomStore::is_member(std::string_view room_id, std::string_view user_id) {
  auto lease = db_.acquire();
  Statement q = lease->prepare("SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?2");
  q.bind(1, room_id).bind(2, user_id);
  return q.step();
}

std::vector<chat::RoomSummary> SqliteRoomStore::summaries_for(std::string_view user_id) {
  auto lease = db_.acquire();
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);  // one snapshot for the whole list

  std::vector<chat::RoomSummary> out;
  std::vector<std::int64_t> read_marks;
  std::vector<std::int64_t> last_seqs;
  {
    Statement q = conn.prepare(
        "SELECT r.id, r.kind, r.name, r.last_seq, r.last_activity_at, m.last_read_seq"
        " FROM room_members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ?1"
        " ORDER BY r.last_activity_at DESC, r.id DESC");
    q.bind(1, user_id);
    while (q.step()) {
      chat::RoomSummary s;
      s.id = q.text(0);
      s.kind = q.text(1) == "direct" ? chat::RoomKind::direct : chat::RoomKind::group;
      s.name = q.text(2);
      last_seqs.push_back(q.integer(3));
      s.last_activity_at_ms = q.integer(4);
      read_marks.push_back(q.integer(5));
      out.push_back(std::move(s));
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    chat::RoomSummary& s = out[i];
    const std::int64_t last_seq = last_seqs[i];
    const std::int64_t read = read_marks[i];
    {
      // The others in join order: the first four for the avatars; the
      // count from the same rows' primary-key range.
      Statement members = conn.prepare(
          "SELECT user_id FROM room_members WHERE room_id = ?1 AND user_id <> ?2 ORDER BY joined_seq, rowid LIMIT 4");
      members.bind(1, s.id).bind(2, user_id);
      while (members.step()) s.first_other_member_ids.push_back(members.text(0));
      Statement count = conn.prepare("SELECT COUNT(*) FROM room_members WHERE room_id = ?1");
      count.bind(1, s.id);
      count.step();
      s.member_count = count.integer(0);
    }
    if (last_seq > 0) {
      Statement last = conn.prepare("SELECT " + std::string(kMessageColumns) +
                                    " FROM messages WHERE room_id = ?1 AND seq = ?2");
      last.bind(1, s.id).bind(2, last_seq);
      if (last.step()) {
        chat::Message m = read_message(last);
        if (m.type != chat::MessageType::system) {
          Statement unread = conn.prepare(
              "SELECT COUNT(*) FROM room_members WHERE room_id = ?1 AND last_read_seq < ?2");
          unread.bind(1, s.id).bind(2, m.seq);
          unread.step();
          m.unread_count = unread.integer(0);
        }
        s.last_message = std::move(m);
      }
    }
    if (last_seq > read) {
      // Others' messages after the mark: one's own are never after it
      // (sending moves it), so all but the system messages in the range.
      Statement system = conn.prepare(
          "SELECT COUNT(*) FROM messages WHERE room_id = ?1 AND type = 'system' AND seq > ?2 AND seq <= ?3");
      system.bind(1, s.id).bind(2, read).bind(3, last_seq);
      system.step();
      s.unread_count = last_seq - read - system.integer(0);
    }
  }
  return out;
}

chat::Result<chat::MembersAdded> SqliteRoomStore::add_members(std::string_view room_id,
                                                              const std::vector<std::string>& user_ids,
                                                              const chat::Message& system_draft, std::int64_t now_ms) {
  std::optional<chat::Result<chat::MembersAdded>> out;
  try {
    db_.write([&](Connection& conn) {
      auto appended = append_message(conn, system_draft);
      if (!appended) {
        out = chat::fail(appended.error());
        return;
      }
      const std::int64_t seq = appended->message.seq;
      chat::MembersAdded added{std::move(appended->message), {}};
      for (const auto& id : user_ids) {
        Statement add = conn.prepare(
            "INSERT INTO room_members (room_id, user_id, joined_seq, last_read_seq, joined_at)"
            " VALUES (?1, ?2, ?3, ?3 - 1, ?4) ON CONFLICT (room_id, user_id) DO NOTHING RETURNING user_id");
        add.bind(1, room_id).bind(2, id).bind(3, seq).bind(4, now_ms);
        if (add.step()) added.added_ids.push_back(id);
        add.run();
      }
      out = std::move(added);
    });
  } catch (const SqliteError& e) {
    if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) return chat::fail(chat::Error::not_found("no user with this id"));
    throw;
  }
  return std::move(*out);
}

chat::Result<chat::MemberLeft> SqliteRoomStore::remove_member(std::string_view room_id, std::string_view user_id,
                                                             const chat::Message& system_draft) {
  std::optional<chat::Result<chat::MemberLeft>> out;
  db_.write([&](Connection& conn) {
    Statement remove = conn.prepare("DELETE FROM room_members WHERE room_id = ?1 AND user_id = ?2 RETURNING 1");
    remove.bind(1, room_id).bind(2, user_id);
    if (!remove.step()) {
      out = chat::fail(chat::Error::not_found("no such room, or the user is not a member"));
      return;
    }
    remove.run();
    Statement count = conn.prepare("SELECT COUNT(*) FROM room_members WHERE room_id = ?1");
    count.bind(1, room_id);
    count.step();
    chat::MemberLeft left;
    if (count.integer(0) == 0) {
      // Nobody left to see it: the room goes, and its messages with it (ON DELETE CASCADE).
      Statement drop = conn.prepare("DELETE FROM rooms WHERE id = ?1");
      drop.bind(1, room_id).run();
      left.room_deleted = true;
    } else {
      auto appended = append_message(conn, system_draft);
      if (!appended) throw std::runtime_error("the system message of a leave was refused: " + appended.error().detail);
      left.system_message = std::move(appended->message);
    }
    out = std::move(left);
  });
  return std::move(*out);
}

chat::Result<void> SqliteRoomStore::rename(std::string_view room_id, std::string_view name) {
  bool found = false;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare("UPDATE rooms SET name = ?2 WHERE id = ?1 RETURNING 1");
    q.bind(1, room_id).bind(2, name);
    found = q.step();
    if (found) q.run();
  });
  if (!found) return chat::fail(chat::Error::not_found("no such room"));
  return {};
}

chat::Result<void> SqliteRoomStore::rejoin(std::string_view room_id, std::string_view user_id, std::int64_t now_ms) {
  bool found = false;
  db_.write([&](Connection& conn) {
    Statement q = conn.prepare(
        "INSERT INTO room_members (room_id, user_id, joined_seq, last_read_seq, joined_at)"
        " SELECT id, ?2, last_seq + 1, last_seq, ?3 FROM rooms WHERE id = ?1"
        " ON CONFLICT (room_id, user_id) DO NOTHING");
    q.bind(1, room_id).bind(2, user_id).bind(3, now_ms).run();
    Statement check = conn.prepare("SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?2");
    check.bind(1, room_id).bind(2, user_id);
    found = check.step();
  });
  if (!found) return chat::fail(chat::Error::not_found("no such room"));
  return {};
}

}  // namespace chattwo::store::sqlite
