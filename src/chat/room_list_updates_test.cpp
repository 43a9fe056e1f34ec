#include "chat/room_list_updates.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "chat/room_service.hpp"
#include "chat/test_fakes.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

// Keeps what the updates send, and lets a test wait for the thread's flush.
class RecordingSink final : public RoomListSink {
 public:
  void views_changed(const std::vector<MemberSummary>& views) override {
    std::lock_guard lock(mutex_);
    calls_.push_back(views);
    changed_.notify_all();
  }
  std::vector<std::vector<MemberSummary>> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void wait_for_calls(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return calls_.size() >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<MemberSummary>> calls_;
};

struct RoomLists : ::testing::Test {
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteRoomStore room_store{db};
  store::sqlite::SqliteMessageStore message_store{db};
  RoomService rooms{room_store, users, clock_, ids_};
  RecordingSink sink;
  RoomListUpdates updates{room_store, sink, std::chrono::milliseconds(5)};
  std::string room_id;

  void SetUp() override {
    chat::testing::add_users(users, clock_, {"ann", "ben", "cho"});
    auto room = rooms.create_room("ann", {"ben", "cho"}, std::string("점심"));
    ASSERT_TRUE(room);
    room_id = room->room.id;
  }

  void send(const std::string& from, const std::string& client_msg_id) {
    Message m;
    m.id = ids_.next_id();
    m.room_id = room_id;
    m.sender_id = from;
    m.type = MessageType::text;
    m.text = "안녕 👋";
    m.client_msg_id = client_msg_id;
    m.created_at_ms = clock_.now_ms();
    ASSERT_TRUE(message_store.append(m));
  }
};

const MemberSummary* view_of(const std::vector<MemberSummary>& views, std::string_view user) {
  for (const auto& v : views) {
    if (v.user_id == user) return &v;
  }
  return nullptr;
}

}  // namespace

TEST_F(RoomLists, NothingPendingSendsNothing) {
  EXPECT_EQ(updates.flush(), 0u);
  EXPECT_TRUE(sink.calls().empty());
}

TEST_F(RoomLists, ManyChangesToARoomAreOneViewPerMember) {
  for (int i = 0; i < 50; ++i) {
    send(i % 2 ? "ben" : "cho", "m" + std::to_string(i));
    updates.room_changed(room_id);
  }
  EXPECT_EQ(updates.flush(), 3u);
  auto calls = sink.calls();
  ASSERT_EQ(calls.size(), 1u);
  const auto* ann = view_of(calls[0], "ann");
  const auto* ben = view_of(calls[0], "ben");
  const auto* cho = view_of(calls[0], "cho");
  ASSERT_TRUE(ann && ben && cho);
  EXPECT_EQ(ann->summary.unread_count, 50);
  EXPECT_EQ(ben->summary.unread_count, 0);  // he sent the last one (seq 50), which moved his mark
  EXPECT_EQ(cho->summary.unread_count, 1);  // ben's seq 50
  ASSERT_TRUE(ann->summary.last_message);
  EXPECT_EQ(ann->summary.last_message->seq, 50);
  EXPECT_EQ(ann->summary.name, "점심");
  EXPECT_EQ(updates.flush(), 0u);  // sent once, not again
}

TEST_F(RoomLists, AReadChangesOnlyTheReadersView) {
  send("ben", "m1");
  ASSERT_TRUE(message_store.mark_read(room_id, "ann", 1));
  updates.member_changed(room_id, "ann");
  EXPECT_EQ(updates.flush(), 1u);
  auto calls = sink.calls();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].size(), 1u);
  EXPECT_EQ(calls[0][0].user_id, "ann");
  EXPECT_EQ(calls[0][0].summary.unread_count, 0);
}

TEST_F(RoomLists, ARoomChangeCoversItsMembersChanges) {
  updates.member_changed(room_id, "ann");
  updates.room_changed(room_id);
  EXPECT_EQ(updates.flush(), 3u);
  EXPECT_EQ(sink.calls().size(), 1u);
}

TEST_F(RoomLists, LeaversAndDeletedRoomsGetNoView) {
  updates.member_changed(room_id, "nobody");
  updates.room_changed("no-such-room");
  EXPECT_EQ(updates.flush(), 0u);
  EXPECT_TRUE(sink.calls().empty());
}

TEST_F(RoomLists, TheThreadFlushesAfterTheWindow) {
  updates.start();
  send("ben", "m1");
  updates.room_changed(room_id);
  sink.wait_for_calls(1);  // no timing asserted: it comes, whenever the machine gets to it
  auto calls = sink.calls();
  ASSERT_EQ(calls[0].size(), 3u);
  updates.member_changed(room_id, "cho");
  sink.wait_for_calls(2);
  EXPECT_EQ(sink.calls()[1].size(), 1u);
}
