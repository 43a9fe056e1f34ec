#include "store/sqlite/sqlite_room_store.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/sqlite/append_message.hpp"
#include "store/sqlite/image_rows.hpp"
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

// The room list in a fixed number of statements, each over the user's
// rooms as a set (not a few queries per room: 200 rooms would be 1,000
// statements). "mine" is the user's memberships, from room_members_by_user.
std::vector<chat::RoomSummary> SqliteRoomStore::summaries_for(std::string_view user_id) {
  auto lease = db_.acquire();
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);  // one snapshot for the whole list

  std::vector<chat::RoomSummary> out;
  std::unordered_map<std::string, std::size_t> index;  // room id -> position in out
  std::vector<std::int64_t> read_marks, last_seqs;
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
      index.emplace(s.id, out.size());
      out.push_back(std::move(s));
    }
  }
  if (out.empty()) return out;
  auto at = [&](const std::string& room_id) -> std::optional<std::size_t> {
    auto it = index.find(room_id);
    return it == index.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };

  {  // member counts, and the first four others in join order (for the avatars)
    Statement q = conn.prepare(
        "SELECT room_id, user_id, rn, total FROM ("
        "  SELECT m.room_id, m.user_id,"
        "         ROW_NUMBER() OVER (PARTITION BY m.room_id ORDER BY m.joined_seq, m.rowid) AS rn,"
        "         COUNT(*) OVER (PARTITION BY m.room_id) AS total"
        "  FROM room_members m WHERE m.room_id IN (SELECT room_id FROM room_members WHERE user_id = ?1))"
        " WHERE rn <= 5 ORDER BY room_id, rn");
    q.bind(1, user_id);
    while (q.step()) {
      auto i = at(q.text(0));
      if (!i) continue;
      chat::RoomSummary& s = out[*i];
      s.member_count = q.integer(3);
      std::string member = q.text(1);
      if (member != user_id && s.first_other_member_ids.size() < 4) s.first_other_member_ids.push_back(std::move(member));
    }
  }
  {  // each room's newest message
    Statement q = conn.prepare("SELECT " + std::string(kMessageColumns) +
                               " FROM messages WHERE (room_id, seq) IN"
                               " (SELECT r.id, r.last_seq FROM room_members m JOIN rooms r ON r.id = m.room_id"
                               "  WHERE m.user_id = ?1 AND r.last_seq > 0)");
    q.bind(1, user_id);
    while (q.step()) {
      chat::Message m = read_message(q);
      if (auto i = at(m.room_id)) out[*i].last_message = std::move(m);
    }
    std::vector<chat::Message*> shown;
    for (auto& summary : out) {
      if (summary.last_message) shown.push_back(&*summary.last_message);
    }
    attach_images(conn, shown);
  }
  {  // how many members have not read each newest message (system ones count 0)
    Statement q = conn.prepare(
        "SELECT o.room_id, COUNT(*) FROM room_members mine JOIN rooms r ON r.id = mine.room_id"
        " JOIN room_members o ON o.room_id = r.id AND o.last_read_seq < r.last_seq"
        " WHERE mine.user_id = ?1 GROUP BY o.room_id");
    q.bind(1, user_id);
    while (q.step()) {
      auto i = at(q.text(0));
      if (i && out[*i].last_message && out[*i].last_message->type != chat::MessageType::system) {
        out[*i].last_message->unread_count = q.integer(1);
      }
    }
  }
  // The badge: others' messages after the user's mark. One's own are never
  // after one's own mark (sending moves it), so all but the system messages
  // in the range, which the partial index finds.
  for (std::size_t i = 0; i < out.size(); ++i) out[i].unread_count = std::max<std::int64_t>(0, last_seqs[i] - read_marks[i]);
  {
    Statement q = conn.prepare(
        "SELECT mine.room_id, COUNT(*) FROM room_members mine"
        " JOIN messages s ON s.room_id = mine.room_id AND s.type = 'system' AND s.seq > mine.last_read_seq"
        " WHERE mine.user_id = ?1 GROUP BY mine.room_id");
    q.bind(1, user_id);
    while (q.step()) {
      if (auto i = at(q.text(0))) out[*i].unread_count = std::max<std::int64_t>(0, out[*i].unread_count - q.integer(1));
    }
  }
  return out;
}

// One room for many readers: the room, its members and its newest message
// are the same for all; what differs (the others shown, the badge) is
// worked out here from the members' marks and the few system seqs.
std::vector<chat::MemberSummary> SqliteRoomStore::member_summaries(std::string_view room_id,
                                                                   const std::vector<std::string>& user_ids) {
  auto lease = db_.acquire();
  Connection& conn = *lease;
  ReadTransaction snapshot(conn);

  chat::RoomSummary room;
  std::int64_t last_seq = 0;
  {
    Statement q = conn.prepare("SELECT id, kind, name, last_seq, last_activity_at FROM rooms WHERE id = ?1");
    q.bind(1, room_id);
    if (!q.step()) return {};
    room.id = q.text(0);
    room.kind = q.text(1) == "direct" ? chat::RoomKind::direct : chat::RoomKind::group;
    room.name = q.text(2);
    last_seq = q.integer(3);
    room.last_activity_at_ms = q.integer(4);
  }
  struct Member {
    std::string id;
    std::int64_t last_read_seq;
  };
  std::vector<Member> members;  // in join order
  {
    Statement q = conn.prepare("SELECT user_id, last_read_seq FROM room_members m WHERE room_id = ?1" +
                               std::string(kMemberOrder));
    q.bind(1, room_id);
    while (q.step()) members.push_back({q.text(0), q.integer(1)});
  }
  room.member_count = static_cast<std::int64_t>(members.size());
  if (last_seq > 0) {
    Statement q = conn.prepare("SELECT " + std::string(kMessageColumns) + " FROM messages WHERE room_id = ?1 AND seq = ?2");
    q.bind(1, room_id).bind(2, last_seq);
    if (q.step()) room.last_message = read_message(q);
    if (room.last_message) attach_images(conn, {&*room.last_message});
    if (room.last_message && room.last_message->type != chat::MessageType::system) {
      room.last_message->unread_count = std::count_if(
          members.begin(), members.end(), [&](const Member& m) { return m.last_read_seq < last_seq; });
    }
  }

  auto wanted = [&](const std::string& id) {
    return user_ids.empty() || std::find(user_ids.begin(), user_ids.end(), id) != user_ids.end();
  };
  std::int64_t lowest_mark = last_seq;
  for (const auto& m : members) {
    if (wanted(m.id)) lowest_mark = std::min(lowest_mark, m.last_read_seq);
  }
  std::vector<std::int64_t> system_seqs;  // ascending, after the lowest mark wanted
  {
    Statement q = conn.prepare("SELECT seq FROM messages WHERE room_id = ?1 AND type = 'system' AND seq > ?2 ORDER BY seq");
    q.bind(1, room_id).bind(2, lowest_mark);
    while (q.step()) system_seqs.push_back(q.integer(0));
  }

  std::vector<chat::MemberSummary> out;
  for (const auto& member : members) {
    if (!wanted(member.id)) continue;
    chat::MemberSummary view{member.id, room};
    for (const auto& other : members) {
      if (view.summary.first_other_member_ids.size() == 4) break;
      if (other.id != member.id) view.summary.first_other_member_ids.push_back(other.id);
    }
    const auto systems_after = system_seqs.end() - std::upper_bound(system_seqs.begin(), system_seqs.end(), member.last_read_seq);
    view.summary.unread_count = std::max<std::int64_t>(0, last_seq - member.last_read_seq - systems_after);
    out.push_back(std::move(view));
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
