// The contract of RoomStore and MessageStore, for every adapter. Tests use
// the ports only; the backends (store/contract/test_stores.hpp) are
// factories for a fresh, empty set of stores.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/contract/test_stores.hpp"

namespace {

using namespace chattwo;
using chat::Code;
using chat::Message;
using chat::MessageType;
using chat::Room;
using chat::RoomKind;
using chat::SystemEvent;
using store::contract::Backend;
using store::contract::kT0;
using store::contract::Stores;

class RoomMessageContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    stores_ = GetParam().make();
    for (const char* id : {"alice", "bob", "carol", "dave"}) {
      chat::User u;
      u.id = id;
      u.email = std::string(id) + "@example.test";
      u.name = id;
      u.created_at_ms = kT0;
      ASSERT_TRUE(users().insert(u, ""));
    }
  }

  chat::UserStore& users() { return stores_->users(); }
  chat::RoomStore& rooms() { return stores_->rooms(); }
  chat::MessageStore& messages() { return stores_->messages(); }

  Room make_room(std::string id, RoomKind kind, std::vector<std::string> members, std::string name = "") {
    Room room;
    room.id = std::move(id);
    room.kind = kind;
    room.name = std::move(name);
    room.created_at_ms = kT0;
    for (auto& m : members) room.members.push_back({std::move(m), 1, 0});
    return room;
  }

  Room insert_group(std::string id, std::vector<std::string> members) {
    Room room = make_room(std::move(id), RoomKind::group, std::move(members), "group");
    EXPECT_TRUE(rooms().insert(room));
    return room;
  }

  Message text(std::string id, std::string room_id, std::string sender, std::string client_msg_id,
               std::string body = "hi") {
    Message m;
    m.id = std::move(id);
    m.room_id = std::move(room_id);
    m.sender_id = std::move(sender);
    m.type = MessageType::text;
    m.text = std::move(body);
    m.client_msg_id = std::move(client_msg_id);
    m.created_at_ms = kT0 + 1;
    return m;
  }

  std::unique_ptr<Stores> stores_;
};

// ------------------------------------------------------------------ rooms

TEST_P(RoomMessageContract, InsertedRoomIsFoundWithMembersInOrder) {
  Room room = make_room("r1", RoomKind::group, {"carol", "alice", "bob"}, "점심 🍜");
  ASSERT_TRUE(rooms().insert(room));
  auto found = rooms().find("r1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "r1");
  EXPECT_EQ(found->kind, RoomKind::group);
  EXPECT_EQ(found->name, "점심 🍜");
  EXPECT_EQ(found->created_at_ms, kT0);
  EXPECT_EQ(found->last_seq, 0);
  ASSERT_EQ(found->members.size(), 3u);
  EXPECT_EQ(found->members[0].user_id, "carol");
  EXPECT_EQ(found->members[1].user_id, "alice");
  EXPECT_EQ(found->members[2].user_id, "bob");
  for (const auto& m : found->members) {
    EXPECT_EQ(m.joined_seq, 1);
    EXPECT_EQ(m.last_read_seq, 0);
  }
  EXPECT_FALSE(rooms().find("nope"));
}

TEST_P(RoomMessageContract, MembershipIsPerRoomAndUser) {
  insert_group("r1", {"alice", "bob"});
  EXPECT_TRUE(rooms().is_member("r1", "alice"));
  EXPECT_TRUE(rooms().is_member("r1", "bob"));
  EXPECT_FALSE(rooms().is_member("r1", "carol"));
  EXPECT_FALSE(rooms().is_member("r2", "alice"));
}

TEST_P(RoomMessageContract, OneDirectRoomPerPairFromEitherSide) {
  ASSERT_TRUE(rooms().insert(make_room("d1", RoomKind::direct, {"alice", "bob"})));
  auto from_bob = rooms().find_direct("bob", "alice");
  ASSERT_TRUE(from_bob);
  EXPECT_EQ(from_bob->id, "d1");
  EXPECT_EQ(from_bob->kind, RoomKind::direct);
  EXPECT_EQ(rooms().find_direct("alice", "bob")->id, "d1");
  EXPECT_FALSE(rooms().find_direct("alice", "carol"));

  auto second = rooms().insert(make_room("d2", RoomKind::direct, {"bob", "alice"}));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Code::conflict);
  EXPECT_FALSE(rooms().find("d2"));  // nothing half-made

  // A group of the same two is another matter.
  EXPECT_TRUE(rooms().insert(make_room("g1", RoomKind::group, {"alice", "bob"})));
}

TEST_P(RoomMessageContract, DuplicateRoomIdIsAConflict) {
  insert_group("r1", {"alice"});
  auto again = rooms().insert(make_room("r1", RoomKind::group, {"bob"}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::conflict);
}

// --------------------------------------------------------------- messages

TEST_P(RoomMessageContract, AppendTakesConsecutiveSeqsAndStoresExactly) {
  insert_group("r1", {"alice", "bob", "carol"});
  const std::string korean = "안녕하세요 👋🏽 — \"quotes\" \\ \n\t and a NUL:";
  std::string with_nul = korean;
  with_nul.push_back('\0');
  with_nul += "end";
  auto first = messages().append(text("m1", "r1", "alice", "c1", with_nul));
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->message.seq, 1);
  EXPECT_EQ(first->message.id, "m1");
  EXPECT_EQ(first->message.room_id, "r1");
  EXPECT_EQ(first->message.sender_id, "alice");
  EXPECT_EQ(first->message.type, MessageType::text);
  EXPECT_EQ(first->message.text, with_nul);
  EXPECT_EQ(first->message.client_msg_id, "c1");
  EXPECT_EQ(first->message.created_at_ms, kT0 + 1);
  EXPECT_EQ(first->message.unread_count, 2);  // bob and carol

  auto second = messages().append(text("m2", "r1", "bob", "c1"));  // same key, other sender
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->created);
  EXPECT_EQ(second->message.seq, 2);
  EXPECT_EQ(second->message.unread_count, 2);  // alice (her mark is at 1) and carol

  EXPECT_EQ(rooms().find("r1")->last_seq, 2);
}

TEST_P(RoomMessageContract, SeqsArePerRoom) {
  insert_group("r1", {"alice"});
  insert_group("r2", {"alice"});
  EXPECT_EQ(messages().append(text("m1", "r1", "alice", "a"))->message.seq, 1);
  EXPECT_EQ(messages().append(text("m2", "r2", "alice", "b"))->message.seq, 1);
  EXPECT_EQ(messages().append(text("m3", "r1", "alice", "c"))->message.seq, 2);
}

TEST_P(RoomMessageContract, AppendMovesTheSendersReadMark) {
  insert_group("r1", {"alice", "bob"});
  ASSERT_TRUE(messages().append(text("m1", "r1", "bob", "b1")));
  ASSERT_TRUE(messages().append(text("m2", "r1", "bob", "b2")));
  ASSERT_TRUE(messages().append(text("m3", "r1", "alice", "a1")));
  auto room = rooms().find("r1");
  EXPECT_EQ(room->member("alice")->last_read_seq, 3);
  EXPECT_EQ(room->member("bob")->last_read_seq, 2);
  EXPECT_EQ(messages().count_unread("r1", 1), 0);
  EXPECT_EQ(messages().count_unread("r1", 3), 1);
}

TEST_P(RoomMessageContract, RepeatedClientMsgIdReturnsTheOriginal) {
  insert_group("r1", {"alice", "bob"});
  auto first = messages().append(text("m1", "r1", "alice", "same", "first"));
  ASSERT_TRUE(first);
  auto retry = messages().append(text("m2", "r1", "alice", "same", "second"));
  ASSERT_TRUE(retry);
  EXPECT_FALSE(retry->created);
  EXPECT_EQ(retry->message.id, "m1");
  EXPECT_EQ(retry->message.seq, 1);
  EXPECT_EQ(retry->message.text, "first");
  EXPECT_EQ(retry->message.unread_count, 1);
  EXPECT_EQ(rooms().find("r1")->last_seq, 1);  // nothing new

  // The answer reports unread as of now.
  ASSERT_TRUE(messages().mark_read("r1", "bob", 1));
  EXPECT_EQ(messages().append(text("m3", "r1", "alice", "same"))->message.unread_count, 0);
}

TEST_P(RoomMessageContract, ClientMsgIdReusedInAnotherRoomIsAConflict) {
  insert_group("r1", {"alice"});
  insert_group("r2", {"alice"});
  ASSERT_TRUE(messages().append(text("m1", "r1", "alice", "k")));
  auto other = messages().append(text("m2", "r2", "alice", "k"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Code::conflict);
  EXPECT_EQ(rooms().find("r2")->last_seq, 0);
}

TEST_P(RoomMessageContract, NonMembersAndUnknownRoomsCannotAppend) {
  insert_group("r1", {"alice"});
  auto outsider = messages().append(text("m1", "r1", "bob", "k"));
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, Code::not_found);
  auto nowhere = messages().append(text("m2", "zz", "alice", "k"));
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().code, Code::not_found);
  EXPECT_EQ(rooms().find("r1")->last_seq, 0);  // no seq was used up
}

// append_all answers exactly as appending one by one would, whatever the
// mix: runs to one room, retries of stored and of same-batch messages, a
// conflict, a room the sender is not in, a system message in between.
TEST_P(RoomMessageContract, AppendAllAnswersAsOneByOne) {
  insert_group("r1", {"alice", "bob", "carol"});
  insert_group("r2", {"alice", "bob"});
  ASSERT_TRUE(messages().append(text("old", "r1", "alice", "stored")));
  ASSERT_TRUE(messages().append(text("elsewhere", "r2", "alice", "in-r2")));
  Message system;
  system.id = "sys";
  system.room_id = "r1";
  system.type = MessageType::system;
  system.text = "carol renamed the room";
  system.created_at_ms = kT0 + 2;

  std::vector<Message> drafts = {
      text("a1", "r1", "alice", "k1", "하나"),   // fresh: seq 2
      text("a2", "r1", "alice", "stored"),      // retry of "old" (seq 1)
      text("a3", "r1", "alice", "k1"),          // repeat of a1 in this batch
      text("a4", "r1", "alice", "k4", "넷 🙂"),  // fresh: seq 3
      text("a5", "r1", "alice", "in-r2"),       // used in r2: conflict
      system,                                   // seq 4
      text("b1", "r1", "bob", "kb"),            // another sender: seq 5
      text("z1", "r1", "dave", "kd"),           // not a member
      text("c1", "r2", "alice", "kc"),          // r2: seq 2
  };
  auto results = messages().append_all(drafts);
  ASSERT_EQ(results.size(), drafts.size());

  auto seq_of = [&](std::size_t i) { return results[i] ? results[i]->message.seq : -1; };
  ASSERT_TRUE(results[0]) << results[0].error().detail;
  EXPECT_TRUE(results[0]->created);
  EXPECT_EQ(seq_of(0), 2);
  EXPECT_EQ(results[0]->message.text, "하나");
  EXPECT_EQ(results[0]->message.unread_count, 2);  // bob and carol
  ASSERT_TRUE(results[1]);
  EXPECT_FALSE(results[1]->created);
  EXPECT_EQ(results[1]->message.id, "old");
  ASSERT_TRUE(results[2]);
  EXPECT_FALSE(results[2]->created);
  EXPECT_EQ(results[2]->message.id, "a1");
  EXPECT_EQ(seq_of(2), 2);
  EXPECT_EQ(seq_of(3), 3);
  EXPECT_EQ(results[3]->message.text, "넷 🙂");
  ASSERT_FALSE(results[4]);
  EXPECT_EQ(results[4].error().code, Code::conflict);
  ASSERT_TRUE(results[5]);
  EXPECT_EQ(seq_of(5), 4);
  EXPECT_EQ(results[5]->message.unread_count, 0);
  EXPECT_EQ(seq_of(6), 5);
  ASSERT_FALSE(results[7]);
  EXPECT_EQ(results[7].error().code, Code::not_found);
  EXPECT_EQ(seq_of(8), 2);

  // Stored as answered, with no gaps; each sender's mark at their last.
  auto room = rooms().find("r1");
  ASSERT_TRUE(room);
  EXPECT_EQ(room->last_seq, 5);
  for (const auto& m : room->members) {
    const std::int64_t expected = m.user_id == "alice" ? 3 : m.user_id == "bob" ? 5 : 0;
    EXPECT_EQ(m.last_read_seq, expected) << m.user_id;
  }
  auto page = messages().page("r1", "carol", {});
  ASSERT_TRUE(page);
  std::vector<std::string> ids;
  for (const auto& m : page->messages) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"old", "a1", "a4", "sys", "b1"}));
  EXPECT_EQ(rooms().find("r2")->last_seq, 2);
}

TEST_P(RoomMessageContract, AppendAllFindsRetriesWhateverTheirCharacters) {
  insert_group("r1", {"alice", "bob"});
  const std::string odd = R"(q"\'[1],{x})";
  ASSERT_TRUE(messages().append(text("m1", "r1", "alice", odd)));
  auto results = messages().append_all({text("m2", "r1", "alice", "plain"), text("m3", "r1", "alice", odd)});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0]);
  EXPECT_TRUE(results[0]->created);
  ASSERT_TRUE(results[1]);
  EXPECT_FALSE(results[1]->created);
  EXPECT_EQ(results[1]->message.id, "m1");
  EXPECT_EQ(rooms().find("r1")->last_seq, 2);
}

TEST_P(RoomMessageContract, SystemMessagesNeedNoSenderAndAreNeverUnread) {
  insert_group("r1", {"alice", "bob"});
  Message system;
  system.id = "s1";
  system.room_id = "r1";
  system.type = MessageType::system;
  system.text = "alice invited bob";
  system.created_at_ms = kT0;
  auto stored = messages().append(system);
  ASSERT_TRUE(stored) << stored.error().detail;
  EXPECT_EQ(stored->message.seq, 1);
  EXPECT_FALSE(stored->message.sender_id);
  EXPECT_EQ(stored->message.unread_count, 0);
  EXPECT_EQ(messages().append(text("m1", "r1", "alice", "k"))->message.seq, 2);
}

TEST_P(RoomMessageContract, ReadMarksMoveOnlyForwardAndStopAtTheLastSeq) {
  insert_group("r1", {"alice", "bob"});
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(messages().append(text("m" + std::to_string(i), "r1", "alice", "k" + std::to_string(i))));
  }
  auto three = messages().mark_read("r1", "bob", 3);
  ASSERT_TRUE(three);
  EXPECT_TRUE(three->moved);
  EXPECT_EQ(three->last_read_seq, 3);
  EXPECT_EQ(three->room_id, "r1");
  EXPECT_EQ(three->user_id, "bob");

  auto back = messages().mark_read("r1", "bob", 2);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->moved);
  EXPECT_EQ(back->last_read_seq, 3);
  EXPECT_FALSE(messages().mark_read("r1", "bob", 3)->moved);

  auto far = messages().mark_read("r1", "bob", 1'000'000);
  ASSERT_TRUE(far);
  EXPECT_TRUE(far->moved);
  EXPECT_EQ(far->last_read_seq, 5);
  EXPECT_EQ(rooms().find("r1")->member("bob")->last_read_seq, 5);
  EXPECT_EQ(messages().count_unread("r1", 5), 0);
}

TEST_P(RoomMessageContract, OnlyMembersHaveReadMarks) {
  insert_group("r1", {"alice"});
  auto outsider = messages().mark_read("r1", "bob", 1);
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, Code::not_found);
  auto nowhere = messages().mark_read("zz", "alice", 1);
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().code, Code::not_found);
}

TEST_P(RoomMessageContract, UnreadCountsFollowReadMarks) {
  insert_group("r1", {"alice", "bob", "carol", "dave"});
  auto m = messages().append(text("m1", "r1", "alice", "k"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->message.unread_count, 3);
  ASSERT_TRUE(messages().mark_read("r1", "bob", 1));
  EXPECT_EQ(messages().count_unread("r1", 1), 2);
  ASSERT_TRUE(messages().mark_read("r1", "carol", 1));
  ASSERT_TRUE(messages().mark_read("r1", "dave", 1));
  EXPECT_EQ(messages().count_unread("r1", 1), 0);
  EXPECT_EQ(messages().count_unread("r1", 2), 4);  // a seq not yet sent: nobody has read it
}

// ------------------------------------------------------------------ history

std::vector<std::int64_t> seqs_of(const chat::MessagePage& page) {
  std::vector<std::int64_t> out;
  for (const auto& m : page.messages) out.push_back(m.seq);
  return out;
}

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (auto s = first; s <= last; ++s) out.push_back(s);
  return out;
}

TEST_P(RoomMessageContract, HistoryPagesWalkBothWaysAndSayWhenThereIsMore) {
  insert_group("r1", {"alice", "bob"});
  for (int i = 1; i <= 12; ++i) {
    ASSERT_TRUE(messages().append(text("m" + std::to_string(i), "r1", "alice", "k" + std::to_string(i))));
  }
  auto newest = messages().page("r1", "bob", {.limit = 5});
  ASSERT_TRUE(newest);
  EXPECT_EQ(seqs_of(*newest), range(8, 12));
  EXPECT_TRUE(newest->has_more);
  auto older = messages().page("r1", "bob", {.before_seq = 8, .limit = 5});
  EXPECT_EQ(seqs_of(*older), range(3, 7));
  EXPECT_TRUE(older->has_more);
  auto oldest = messages().page("r1", "bob", {.before_seq = 3, .limit = 5});
  EXPECT_EQ(seqs_of(*oldest), range(1, 2));
  EXPECT_FALSE(oldest->has_more);
  auto first = messages().page("r1", "bob", {.after_seq = 0, .limit = 5});
  EXPECT_EQ(seqs_of(*first), range(1, 5));
  EXPECT_TRUE(first->has_more);
  auto tail = messages().page("r1", "bob", {.after_seq = 10, .limit = 5});
  EXPECT_EQ(seqs_of(*tail), range(11, 12));
  EXPECT_FALSE(tail->has_more);
  auto past_end = messages().page("r1", "bob", {.after_seq = 12, .limit = 5});
  EXPECT_TRUE(past_end->messages.empty());
  EXPECT_FALSE(past_end->has_more);
  auto exact = messages().page("r1", "bob", {.limit = 12});
  EXPECT_EQ(seqs_of(*exact), range(1, 12));
  EXPECT_FALSE(exact->has_more);
  // What was stored comes back as stored.
  EXPECT_EQ(newest->messages.back().id, "m12");
  EXPECT_EQ(newest->messages.back().client_msg_id, "k12");
  EXPECT_EQ(newest->messages.back().sender_id, "alice");
}

TEST_P(RoomMessageContract, HistoryStartsAtTheReadersJoinedSeq) {
  Room room = make_room("r1", RoomKind::group, {"alice", "bob"}, "g");
  room.members.push_back({"dave", 4, 3});  // invited when seq 4 was the invitation
  ASSERT_TRUE(rooms().insert(room));
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(messages().append(text("m" + std::to_string(i), "r1", "alice", "k" + std::to_string(i))));
  }
  EXPECT_EQ(seqs_of(*messages().page("r1", "dave", {.limit = 50})), range(4, 6));
  EXPECT_FALSE(messages().page("r1", "dave", {.limit = 50})->has_more);
  auto before = messages().page("r1", "dave", {.before_seq = 5, .limit = 50});
  EXPECT_EQ(seqs_of(*before), range(4, 4));
  EXPECT_FALSE(before->has_more);
  EXPECT_TRUE(messages().page("r1", "dave", {.before_seq = 4, .limit = 50})->messages.empty());
  EXPECT_EQ(seqs_of(*messages().page("r1", "dave", {.after_seq = 0, .limit = 50})), range(4, 6));
  EXPECT_EQ(seqs_of(*messages().page("r1", "bob", {.after_seq = 0, .limit = 50})), range(1, 6));
}

TEST_P(RoomMessageContract, HistoryCarriesUnreadCountsAndIsForMembersOnly) {
  insert_group("r1", {"alice", "bob", "carol"});
  Message system;
  system.id = "s1";
  system.room_id = "r1";
  system.type = MessageType::system;
  system.text = "alice invited carol";
  system.created_at_ms = kT0;
  ASSERT_TRUE(messages().append(system));
  for (int i = 2; i <= 4; ++i) {
    ASSERT_TRUE(messages().append(text("m" + std::to_string(i), "r1", "alice", "k" + std::to_string(i))));
  }
  ASSERT_TRUE(messages().mark_read("r1", "bob", 3));
  auto page = messages().page("r1", "carol", {.limit = 50});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->messages.size(), 4u);
  EXPECT_EQ(page->messages[0].unread_count, 0);  // system: never unread
  EXPECT_EQ(page->messages[1].unread_count, 1);  // seq 2: carol
  EXPECT_EQ(page->messages[2].unread_count, 1);  // seq 3: carol
  EXPECT_EQ(page->messages[3].unread_count, 2);  // seq 4: bob and carol
  auto outsider = messages().page("r1", "dave", {.limit = 50});
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code, Code::not_found);
  EXPECT_EQ(messages().page("nope", "alice", {.limit = 50}).error().code, Code::not_found);
}

// ------------------------------------------------------------------ room list

TEST_P(RoomMessageContract, RoomListIsNewestActivityFirstWithUnreadAndLastMessage) {
  insert_group("quiet", {"alice", "bob"});
  insert_group("busy", {"alice", "bob", "carol", "dave"});
  Room direct = make_room("dm", RoomKind::direct, {"alice", "carol"});
  ASSERT_TRUE(rooms().insert(direct));
  ASSERT_TRUE(rooms().summaries_for("nobody").empty());

  // busy: carol 2 messages, a system message, bob 1; alice read through 1.
  Message m1 = text("b1", "busy", "carol", "c1");
  m1.created_at_ms = kT0 + 10;
  ASSERT_TRUE(messages().append(m1));
  Message m2 = text("b2", "busy", "carol", "c2");
  m2.created_at_ms = kT0 + 11;
  ASSERT_TRUE(messages().append(m2));
  Message system;
  system.id = "bs";
  system.room_id = "busy";
  system.type = MessageType::system;
  system.text = "carol invited dave";
  system.created_at_ms = kT0 + 12;
  ASSERT_TRUE(messages().append(system));
  Message m4 = text("b4", "busy", "bob", "c4", "최신 🙂");
  m4.created_at_ms = kT0 + 13;
  ASSERT_TRUE(messages().append(m4));
  ASSERT_TRUE(messages().mark_read("busy", "alice", 1));
  // dm: alice wrote last (nothing unread for her).
  Message d1 = text("d1", "dm", "alice", "a1");
  d1.created_at_ms = kT0 + 5;
  ASSERT_TRUE(messages().append(d1));

  auto list = rooms().summaries_for("alice");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, "busy");
  EXPECT_EQ(list[1].id, "dm");
  EXPECT_EQ(list[2].id, "quiet");

  const auto& busy = list[0];
  EXPECT_EQ(busy.kind, RoomKind::group);
  EXPECT_EQ(busy.name, "group");
  EXPECT_EQ(busy.member_count, 4);
  EXPECT_EQ(busy.first_other_member_ids, (std::vector<std::string>{"bob", "carol", "dave"}));
  EXPECT_EQ(busy.unread_count, 2);  // seq 2 (carol) and 4 (bob); the system message does not count
  ASSERT_TRUE(busy.last_message);
  EXPECT_EQ(busy.last_message->seq, 4);
  EXPECT_EQ(busy.last_message->text, "최신 🙂");
  EXPECT_EQ(busy.last_message->unread_count, 3);  // alice, carol, dave have not read it
  EXPECT_EQ(busy.last_activity_at_ms, kT0 + 13);

  EXPECT_EQ(list[1].kind, RoomKind::direct);
  EXPECT_EQ(list[1].unread_count, 0);
  EXPECT_EQ(list[1].first_other_member_ids, (std::vector<std::string>{"carol"}));
  EXPECT_FALSE(list[2].last_message);
  EXPECT_EQ(list[2].unread_count, 0);

  // The same room, another reader: carol has read her own messages only.
  auto carols = rooms().summaries_for("carol");
  ASSERT_EQ(carols.size(), 2u);
  EXPECT_EQ(carols[0].id, "busy");
  EXPECT_EQ(carols[0].unread_count, 1);  // bob's seq 4
  EXPECT_EQ(carols[0].first_other_member_ids, (std::vector<std::string>{"alice", "bob", "dave"}));
}

// What keeps open room lists current: each member's view of one room is
// exactly the entry their own room list has for it.
TEST_P(RoomMessageContract, MemberSummariesAreEachMembersRoomListEntry) {
  insert_group("busy", {"alice", "bob", "carol", "dave"});
  ASSERT_TRUE(messages().append(text("b1", "busy", "carol", "c1")));
  Message system;
  system.id = "bs";
  system.room_id = "busy";
  system.type = MessageType::system;
  system.text = "carol renamed the room";
  system.created_at_ms = kT0 + 2;
  ASSERT_TRUE(messages().append(system));
  ASSERT_TRUE(messages().append(text("b3", "busy", "bob", "c3", "마지막 🙂")));
  ASSERT_TRUE(messages().mark_read("busy", "dave", 1));

  auto views = rooms().member_summaries("busy", {});
  ASSERT_EQ(views.size(), 4u);
  for (const auto& view : views) {
    SCOPED_TRACE(view.user_id);
    auto list = rooms().summaries_for(view.user_id);
    ASSERT_EQ(list.size(), 1u);
    const auto& expected = list[0];
    EXPECT_EQ(view.summary.id, expected.id);
    EXPECT_EQ(view.summary.name, expected.name);
    EXPECT_EQ(view.summary.member_count, expected.member_count);
    EXPECT_EQ(view.summary.first_other_member_ids, expected.first_other_member_ids);
    EXPECT_EQ(view.summary.unread_count, expected.unread_count);
    EXPECT_EQ(view.summary.last_activity_at_ms, expected.last_activity_at_ms);
    ASSERT_TRUE(view.summary.last_message);
    EXPECT_EQ(view.summary.last_message->id, "b3");
    EXPECT_EQ(view.summary.last_message->unread_count, expected.last_message->unread_count);
  }
  EXPECT_EQ(views[0].user_id, "alice");  // join order
  EXPECT_EQ(views[0].summary.unread_count, 2);  // carol's and bob's, not the system message
  EXPECT_EQ(views[3].user_id, "dave");
  EXPECT_EQ(views[3].summary.unread_count, 1);  // bob's; read through carol's

  auto some = rooms().member_summaries("busy", {"dave", "nobody", "bob"});
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0].user_id, "bob");
  EXPECT_EQ(some[0].summary.unread_count, 0);
  EXPECT_EQ(some[1].user_id, "dave");
  EXPECT_TRUE(rooms().member_summaries("nowhere", {}).empty());
}

TEST_P(RoomMessageContract, UsersAreFoundManyAtOnce) {
  auto found = users().find_by_ids({"carol", "alice", "ghost", "alice"});
  std::vector<std::string> ids;
  for (const auto& u : found) ids.push_back(u.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"alice", "carol"}));
  EXPECT_TRUE(users().find_by_ids({}).empty());
  EXPECT_TRUE(users().find_by_ids({"a\"quote", "back\\slash"}).empty());
}

// ------------------------------------------------------------------ membership changes

Message system_message(std::string id, std::string room_id, std::string text) {
  Message m;
  m.id = std::move(id);
  m.room_id = std::move(room_id);
  m.type = MessageType::system;
  m.text = std::move(text);
  m.created_at_ms = kT0 + 100;
  return m;
}

// A system message's event (who did what to whom) comes back from every
// read exactly as stored, so clients can word it in their own language; a
// system message without one (written before the event existed) has none.
TEST_P(RoomMessageContract, SystemEventsRoundTrip) {
  insert_group("r1", {"alice", "bob"});
  Message invite = system_message("s1", "r1", "alice invited carol, dave");
  invite.system = SystemEvent{SystemEvent::Action::invited, "alice", {"carol", "dave"}};
  auto added = rooms().add_members("r1", {"carol", "dave"}, invite, kT0 + 100);
  ASSERT_TRUE(added) << added.error().detail;
  ASSERT_TRUE(added->system_message.system);
  Message leave = system_message("s2", "r1", "bob left");
  leave.system = SystemEvent{SystemEvent::Action::left, "bob", {}};
  ASSERT_TRUE(rooms().remove_member("r1", "bob", leave));
  auto left_too = rooms().remove_member("r1", "dave", system_message("s3", "r1", "dave left"));
  ASSERT_TRUE(left_too);

  auto page = messages().page("r1", "alice", {.limit = 50});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->messages.size(), 3u);
  const auto& first = page->messages[0];
  ASSERT_TRUE(first.system);
  EXPECT_EQ(first.system->action, SystemEvent::Action::invited);
  EXPECT_EQ(first.system->actor_id, "alice");
  EXPECT_EQ(first.system->user_ids, (std::vector<std::string>{"carol", "dave"}));
  ASSERT_TRUE(page->messages[1].system);
  EXPECT_EQ(page->messages[1].system->action, SystemEvent::Action::left);
  EXPECT_EQ(page->messages[1].system->actor_id, "bob");
  EXPECT_TRUE(page->messages[1].system->user_ids.empty());
  EXPECT_FALSE(page->messages[2].system);
  // The room list's last message carries it too.
  auto summaries = rooms().summaries_for("alice");
  ASSERT_EQ(summaries.size(), 1u);
  ASSERT_TRUE(summaries[0].last_message);
  EXPECT_FALSE(summaries[0].last_message->system);
  EXPECT_EQ(summaries[0].last_message->text, "dave left");
}

TEST_P(RoomMessageContract, InvitedMembersJoinAtTheInvitationsSeq) {
  insert_group("r1", {"alice", "bob"});
  ASSERT_TRUE(messages().append(text("m1", "r1", "alice", "k1")));
  ASSERT_TRUE(messages().append(text("m2", "r1", "bob", "k2")));
  auto added = rooms().add_members("r1", {"carol", "bob", "dave"}, system_message("s3", "r1", "alice invited carol, dave"),
                                   kT0 + 100);
  ASSERT_TRUE(added) << added.error().detail;
  EXPECT_EQ(added->system_message.seq, 3);
  EXPECT_EQ(added->system_message.type, MessageType::system);
  EXPECT_EQ(added->added_ids, (std::vector<std::string>{"carol", "dave"}));  // bob was in already
  auto room = rooms().find("r1");
  ASSERT_TRUE(room);
  ASSERT_EQ(room->members.size(), 4u);
  EXPECT_EQ(room->last_seq, 3);
  const auto* carol = room->member("carol");
  ASSERT_TRUE(carol);
  EXPECT_EQ(carol->joined_seq, 3);
  EXPECT_EQ(carol->last_read_seq, 2);
  EXPECT_EQ(seqs_of(*messages().page("r1", "carol", {.limit = 50})), range(3, 3));
  // Unknown users and rooms.
  EXPECT_EQ(rooms().add_members("r1", {"ghost"}, system_message("s4", "r1", "x"), kT0).error().code, Code::not_found);
  EXPECT_EQ(rooms().find("r1")->last_seq, 3);  // the refused invitation left nothing behind
  EXPECT_EQ(rooms().add_members("zz", {"carol"}, system_message("s5", "zz", "x"), kT0).error().code, Code::not_found);
}

TEST_P(RoomMessageContract, LeavingAddsASystemMessageAndTheLastOneOutDeletesTheRoom) {
  insert_group("r1", {"alice", "bob"});
  ASSERT_TRUE(messages().append(text("m1", "r1", "alice", "k1")));
  auto left = rooms().remove_member("r1", "alice", system_message("s2", "r1", "alice left"));
  ASSERT_TRUE(left) << left.error().detail;
  EXPECT_FALSE(left->room_deleted);
  ASSERT_TRUE(left->system_message);
  EXPECT_EQ(left->system_message->seq, 2);
  EXPECT_FALSE(rooms().is_member("r1", "alice"));
  EXPECT_EQ(messages().append(text("m3", "r1", "alice", "k3")).error().code, Code::not_found);
  EXPECT_EQ(rooms().remove_member("r1", "alice", system_message("s3", "r1", "x")).error().code, Code::not_found);
  EXPECT_TRUE(rooms().summaries_for("alice").empty());

  auto last = rooms().remove_member("r1", "bob", system_message("s4", "r1", "bob left"));
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->room_deleted);
  EXPECT_FALSE(last->system_message);
  EXPECT_FALSE(rooms().find("r1"));
  // Its messages went with it: the clientMsgId is free again.
  insert_group("r2", {"alice"});
  auto again = messages().append(text("m5", "r2", "alice", "k1"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->created);
}

TEST_P(RoomMessageContract, RenameAndRejoin) {
  insert_group("r1", {"alice", "bob"});
  ASSERT_TRUE(rooms().rename("r1", "새 이름 ✨"));
  EXPECT_EQ(rooms().find("r1")->name, "새 이름 ✨");
  EXPECT_EQ(rooms().rename("zz", "x").error().code, Code::not_found);

  ASSERT_TRUE(messages().append(text("m1", "r1", "bob", "k1")));
  ASSERT_TRUE(rooms().remove_member("r1", "alice", system_message("s2", "r1", "alice left")));
  ASSERT_TRUE(rooms().rejoin("r1", "alice", kT0 + 200));
  const auto rejoined = rooms().find("r1");  // kept: member() points into it
  ASSERT_TRUE(rejoined);
  const auto* alice = rejoined->member("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->joined_seq, 3);  // only what comes next
  EXPECT_EQ(alice->last_read_seq, 2);
  EXPECT_TRUE(messages().page("r1", "alice", {.limit = 50})->messages.empty());
  ASSERT_TRUE(rooms().rejoin("r1", "alice", kT0 + 300));  // already in: nothing changes
  EXPECT_EQ(rooms().find("r1")->member("alice")->joined_seq, 3);
  EXPECT_EQ(rooms().rejoin("zz", "alice", kT0).error().code, Code::not_found);
}

TEST_P(RoomMessageContract, ConcurrentAppendsGetEverySeqOnce) {
  insert_group("r1", {"alice", "bob", "carol", "dave"});
  const std::vector<std::string> senders = {"alice", "bob", "carol", "dave"};
  constexpr int kEach = 50;
  std::vector<std::vector<std::int64_t>> seqs(senders.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < senders.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every other send is retried at once: the retry must add nothing.
        const std::string key = "k" + std::to_string(i);
        auto sent = messages().append(text(senders[t] + key, "r1", senders[t], key));
        if (!sent) {
          ADD_FAILURE() << sent.error().detail;
          return;
        }
        seqs[t].push_back(sent->message.seq);
        if (i % 2 == 0) {
          auto retry = messages().append(text(senders[t] + key + "-retry", "r1", senders[t], key));
          if (!retry || retry->created || retry->message.seq != sent->message.seq) {
            ADD_FAILURE() << "retry of " << key << " was not answered with the original";
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  std::vector<std::int64_t> all;
  for (const auto& s : seqs) {
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end())) << "one sender's seqs increase";
    all.insert(all.end(), s.begin(), s.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::int64_t> expected(senders.size() * kEach);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::int64_t>(i) + 1;
  EXPECT_EQ(all, expected);
  EXPECT_EQ(rooms().find("r1")->last_seq, static_cast<std::int64_t>(expected.size()));
}

INSTANTIATE_TEST_SUITE_P(All, RoomMessageContract, ::testing::ValuesIn(store::contract::backends()),
                         store::contract::backend_name);

}  // namespace
