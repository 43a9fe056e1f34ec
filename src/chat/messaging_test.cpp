#include "chat/messaging.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <filesystem>
#include <thread>

#include "chat/room_service.hpp"
#include "chat/test_fakes.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_image_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Users ann, ben, cho and dan; ann, ben and cho share `room_id`.
struct World {
  chat::testing::FakeClock clock;
  chat::testing::SequentialIds ids;
  store::sqlite::Database db;
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteRoomStore room_store{db};
  store::sqlite::SqliteMessageStore message_store{db};
  store::sqlite::SqliteImageStore image_store{db};
  RoomService rooms{room_store, users, clock, ids};
  Messaging messaging{message_store, clock, ids, nullptr, &image_store};
  std::string room_id;

  explicit World(store::sqlite::DatabaseSettings settings) : db(settings, clock.now_ms()) {
    for (const char* id : {"ann", "ben", "cho", "dan"}) {
      User u;
      u.id = id;
      u.email = std::string(id) + "@example.test";
      u.name = id;
      u.created_at_ms = clock.now_ms();
      if (!users.insert(u, "")) throw std::runtime_error("setup: insert user");
    }
    room_id = rooms.create_room("ann", {"ben", "cho"}, std::string("g"))->room.id;
  }
};

SendRequest text(std::string client_msg_id, std::string body) {
  return SendRequest{std::move(client_msg_id), "text", std::move(body), std::nullopt};
}

struct MessagingTest : ::testing::Test {
  World w{store::sqlite::DatabaseSettings{":memory:"}};
};

}  // namespace

TEST_F(MessagingTest, SendStoresTheNextSeqAndCountsUnread) {
  auto sent = w.messaging.send("ann", w.room_id, text("c-1", "hello"));
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_TRUE(sent->created);
  const Message& m = sent->message;
  EXPECT_EQ(m.seq, 1);
  EXPECT_EQ(m.room_id, w.room_id);
  EXPECT_EQ(m.sender_id, "ann");
  EXPECT_EQ(m.type, MessageType::text);
  EXPECT_EQ(m.text, "hello");
  EXPECT_EQ(m.client_msg_id, "c-1");
  EXPECT_EQ(m.created_at_ms, w.clock.now_ms());
  EXPECT_FALSE(m.id.empty());
  EXPECT_EQ(m.unread_count, 2);  // ben and cho; the sender has read it

  auto reply = w.messaging.send("ben", w.room_id, text("c-1", "hi"));  // keys are per sender
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->created);
  EXPECT_EQ(reply->message.seq, 2);
  EXPECT_EQ(reply->message.unread_count, 2);  // ann (her mark is at 1) and cho
}

TEST_F(MessagingTest, TheSendersReadMarkMovesToTheirMessage) {
  ASSERT_TRUE(w.messaging.send("ann", w.room_id, text("a", "1")));
  ASSERT_TRUE(w.messaging.send("ann", w.room_id, text("b", "2")));
  ASSERT_TRUE(w.messaging.send("ben", w.room_id, text("c", "3")));
  auto room = w.rooms.get_room("cho", w.room_id);
  ASSERT_TRUE(room);
  EXPECT_EQ(room->last_seq, 3);
  EXPECT_EQ(room->member("ann")->last_read_seq, 2);
  EXPECT_EQ(room->member("ben")->last_read_seq, 3);
  EXPECT_EQ(room->member("cho")->last_read_seq, 0);
}

TEST_F(MessagingTest, ARetryReturnsTheSameMessageAndCreatesNothing) {
  auto first = w.messaging.send("ann", w.room_id, text("retry-me", "once"));
  ASSERT_TRUE(first);
  auto retry = w.messaging.send("ann", w.room_id, text("retry-me", "once"));
  ASSERT_TRUE(retry);
  EXPECT_FALSE(retry->created);
  EXPECT_EQ(retry->message.id, first->message.id);
  EXPECT_EQ(retry->message.seq, first->message.seq);
  EXPECT_EQ(retry->message.text, "once");
  EXPECT_EQ(w.rooms.get_room("ann", w.room_id)->last_seq, 1);
  EXPECT_EQ(w.messaging.send("ann", w.room_id, text("next", "twice"))->message.seq, 2);
}

TEST_F(MessagingTest, NonMembersCannotSendOrMarkRead) {
  auto send = w.messaging.send("dan", w.room_id, text("x", "let me in"));
  ASSERT_FALSE(send);
  EXPECT_EQ(send.error().code, Code::not_found);
  auto missing = w.messaging.send("ann", "no-such-room", text("x", "hello?"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::not_found);
  EXPECT_EQ(send.error().detail, missing.error().detail);

  auto read = w.messaging.mark_read("dan", w.room_id, 1);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Code::not_found);
  EXPECT_EQ(w.rooms.get_room("ann", w.room_id)->last_seq, 0);
}

TEST_F(MessagingTest, TextLimitsCountCodePoints) {
  // 10000 code points of 4-byte emoji: 40000 bytes, still within the limit.
  auto max = w.messaging.send("ann", w.room_id, text("max", repeat("😀", 10000)));
  ASSERT_TRUE(max) << max.error().detail;
  EXPECT_EQ(max->message.text.size(), 40000u);
  auto over = w.messaging.send("ann", w.room_id, text("over", repeat("a", 10001)));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Code::validation);
  EXPECT_EQ(over.error().field, "text");
  EXPECT_TRUE(w.messaging.send("ann", w.room_id, text("ten-k", repeat("a", 10000))));

  for (const char* bad : {"", " ", " \t\n ", "\u3000\u00a0"}) {
    auto r = w.messaging.send("ann", w.room_id, text("blank", bad));
    ASSERT_FALSE(r) << "accepted " << bad;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "text");
  }
  auto broken = w.messaging.send("ann", w.room_id, text("utf8", "\xff\xfe"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field, "text");
}

TEST_F(MessagingTest, TextIsStoredExactlyAsSent) {
  const std::string sent_text = "  안녕하세요! 👋🏽 🇰🇷 잘 지냈어요?\n  줄바꿈도 그대로  ";
  auto sent = w.messaging.send("ann", w.room_id, text("k", sent_text));
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->message.text, sent_text);
  // Read back through the retry path, i.e. from storage.
  EXPECT_EQ(w.messaging.send("ann", w.room_id, text("k", "ignored"))->message.text, sent_text);
}

TEST_F(MessagingTest, ClientMsgIdAndTypeAreChecked) {
  for (const std::string& bad : {std::string(), std::string(65, 'k'), std::string("has space"), std::string("키")}) {
    auto r = w.messaging.send("ann", w.room_id, text(bad, "hello"));
    ASSERT_FALSE(r) << "accepted clientMsgId " << bad;
    EXPECT_EQ(r.error().code, Code::validation);
    EXPECT_EQ(r.error().field, "clientMsgId");
  }
  EXPECT_TRUE(w.messaging.send("ann", w.room_id, text(std::string(64, 'k'), "hello")));

  auto image = w.messaging.send("ann", w.room_id, SendRequest{"img", "image", "", std::string("i1")});
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code, Code::validation);
  EXPECT_EQ(image.error().field, "imageId");  // no such upload
  auto video = w.messaging.send("ann", w.room_id, SendRequest{"vid", "video", "x", std::nullopt});
  ASSERT_FALSE(video);
  EXPECT_EQ(video.error().field, "type");
}

TEST_F(MessagingTest, ReadMarksMoveOnlyForward) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w.messaging.send("ann", w.room_id, text("k" + std::to_string(i), "m")));

  auto three = w.messaging.mark_read("ben", w.room_id, 3);
  ASSERT_TRUE(three);
  EXPECT_TRUE(three->moved);
  EXPECT_EQ(three->last_read_seq, 3);
  EXPECT_EQ(three->user_id, "ben");
  EXPECT_EQ(three->room_id, w.room_id);

  auto lower = w.messaging.mark_read("ben", w.room_id, 1);
  ASSERT_TRUE(lower);
  EXPECT_FALSE(lower->moved);
  EXPECT_EQ(lower->last_read_seq, 3);

  auto past_the_end = w.messaging.mark_read("ben", w.room_id, 99);
  ASSERT_TRUE(past_the_end);
  EXPECT_TRUE(past_the_end->moved);
  EXPECT_EQ(past_the_end->last_read_seq, 5);

  auto negative = w.messaging.mark_read("ben", w.room_id, -1);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, Code::validation);
  EXPECT_EQ(negative.error().field, "seq");
}

TEST_F(MessagingTest, UnreadCountShrinksAsMembersRead) {
  auto m = w.messaging.send("ann", w.room_id, text("k", "읽어 주세요"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->message.unread_count, 2);
  ASSERT_TRUE(w.messaging.mark_read("ben", w.room_id, 1));
  EXPECT_EQ(w.message_store.count_unread(w.room_id, 1), 1);
  ASSERT_TRUE(w.messaging.mark_read("cho", w.room_id, 1));
  EXPECT_EQ(w.message_store.count_unread(w.room_id, 1), 0);
}

// Four senders on four threads, each with its own connection to one
// database file: every seq 1..200 is taken exactly once.
TEST(MessagingConcurrency, ConcurrentSendersOnAFileGetSeqsOneToTwoHundred) {
  std::string dir = (std::filesystem::temp_directory_path() / "chattwo-messaging-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  {
    World w{store::sqlite::DatabaseSettings{(std::filesystem::path(dir) / "chattwo.db").string(), 4}};
    std::string room = w.rooms.create_room("ann", {"ben", "cho", "dan"}, std::string("busy"))->room.id;
    const std::vector<std::string> senders = {"ann", "ben", "cho", "dan"};
    constexpr int kEach = 50;
    std::vector<std::vector<std::int64_t>> seqs(senders.size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < senders.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto sent = w.messaging.send(senders[t], room, text("c" + std::to_string(i), "msg " + std::to_string(i)));
          if (!sent) {
            ADD_FAILURE() << senders[t] << ": " << sent.error().detail;
            return;
          }
          seqs[t].push_back(sent->message.seq);
        }
      });
    }
    for (auto& t : threads) t.join();

    std::vector<std::int64_t> all;
    for (const auto& s : seqs) all.insert(all.end(), s.begin(), s.end());
    std::sort(all.begin(), all.end());
    ASSERT_EQ(all.size(), 200u);
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(w.rooms.get_room("ann", room)->last_seq, 200);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_F(MessagingTest, ImageMessagesCarryOnesOwnUploadOnly) {
  Image upload;
  upload.id = "img1";
  upload.uploader_id = "ann";
  upload.content_type = "image/webp";
  upload.width = 1920;
  upload.height = 1080;
  upload.bytes = 50'000;
  upload.thumbnail_content_type = "image/webp";
  upload.thumbnail_width = 320;
  upload.thumbnail_height = 180;
  upload.created_at_ms = w.clock.now_ms();
  ASSERT_TRUE(w.image_store.insert(upload));

  auto theirs = w.messaging.send("ben", w.room_id, SendRequest{"b1", "image", "", std::string("img1")});
  ASSERT_FALSE(theirs);
  EXPECT_EQ(theirs.error().field, "imageId");

  auto sent = w.messaging.send("ann", w.room_id, SendRequest{"a1", "image", "ignored", std::string("img1")});
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_EQ(sent->message.type, MessageType::image);
  EXPECT_EQ(sent->message.text, "");
  ASSERT_TRUE(sent->message.image);
  EXPECT_EQ(sent->message.image->width, 1920);

  // Read back: history and a retry carry the image too.
  auto page = w.messaging.history("ben", w.room_id, PageQuery{});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->messages.size(), 1u);
  ASSERT_TRUE(page->messages[0].image);
  EXPECT_EQ(page->messages[0].image->content_type, "image/webp");
  auto retry = w.messaging.send("ann", w.room_id, SendRequest{"a1", "image", "", std::string("img1")});
  ASSERT_TRUE(retry);
  EXPECT_FALSE(retry->created);
  ASSERT_TRUE(retry->message.image);
  EXPECT_EQ(retry->message.image->id, "img1");
}
