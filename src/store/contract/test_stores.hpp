#pragma once
// The backends of the port contract suites (rooms and messages, user
// search, friends, notifications): each a factory for a fresh, empty set of
// stores. A new adapter adds one entry to backends() (and skips itself with
// the reason when its service is not running); the suites stay as they are.
#include <gtest/gtest.h>

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chat/friend_store.hpp"
#include "chat/image_store.hpp"
#include "chat/message_store.hpp"
#include "chat/notification_store.hpp"
#include "chat/room_store.hpp"
#include "chat/user_store.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_friend_store.hpp"
#include "store/sqlite/sqlite_image_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

namespace chattwo::store::contract {

inline constexpr std::int64_t kT0 = 1'795'556'406'123;

/// A fresh, empty set of stores on one backend.
class Stores {
 public:
  virtual ~Stores() = default;
  virtual chat::UserStore& users() = 0;
  virtual chat::RoomStore& rooms() = 0;
  virtual chat::MessageStore& messages() = 0;
  virtual chat::FriendStore& friends() = 0;
  virtual chat::NotificationStore& notifications() = 0;
  virtual chat::ImageStore& images() = 0;
};

class SqliteStores final : public Stores {
 public:
  // `file`: a database file in a new temp dir with 4 connections, so
  // writers on different threads contend as in production; else :memory:.
  explicit SqliteStores(bool file) {
    sqlite::DatabaseSettings settings{":memory:"};
    if (file) {
      std::string pattern = (std::filesystem::temp_directory_path() / "chattwo-contract-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
      dir_ = pattern;
      settings = {(dir_ / "chattwo.db").string(), 4};
    }
    db_ = std::make_unique<sqlite::Database>(settings, kT0);
    users_ = std::make_unique<sqlite::SqliteUserStore>(*db_);
    rooms_ = std::make_unique<sqlite::SqliteRoomStore>(*db_);
    messages_ = std::make_unique<sqlite::SqliteMessageStore>(*db_);
    friends_ = std::make_unique<sqlite::SqliteFriendStore>(*db_);
    notifications_ = std::make_unique<sqlite::SqliteNotificationStore>(*db_);
    images_ = std::make_unique<sqlite::SqliteImageStore>(*db_);
  }
  ~SqliteStores() override {
    images_.reset();
    notifications_.reset();
    friends_.reset();
    messages_.reset();
    rooms_.reset();
    users_.reset();
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  chat::UserStore& users() override { return *users_; }
  chat::RoomStore& rooms() override { return *rooms_; }
  chat::MessageStore& messages() override { return *messages_; }
  chat::FriendStore& friends() override { return *friends_; }
  chat::NotificationStore& notifications() override { return *notifications_; }
  chat::ImageStore& images() override { return *images_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<sqlite::SqliteUserStore> users_;
  std::unique_ptr<sqlite::SqliteRoomStore> rooms_;
  std::unique_ptr<sqlite::SqliteMessageStore> messages_;
  std::unique_ptr<sqlite::SqliteFriendStore> friends_;
  std::unique_ptr<sqlite::SqliteNotificationStore> notifications_;
  std::unique_ptr<sqlite::SqliteImageStore> images_;
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Stores>()> make;
};

// For gtest's messages: the backend's name, not its bytes.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

inline std::vector<Backend> backends() {
  return {
      {"SqliteMemory", [] { return std::make_unique<SqliteStores>(false); }},
      {"SqliteFile", [] { return std::make_unique<SqliteStores>(true); }},
  };
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

/// A fixture with a fresh set of stores per test and a way to add users.
class SocialContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { stores_ = GetParam().make(); }

  chat::UserStore& users() { return stores_->users(); }
  chat::RoomStore& rooms() { return stores_->rooms(); }
  chat::FriendStore& friends() { return stores_->friends(); }
  chat::NotificationStore& notifications() { return stores_->notifications(); }
  chat::ImageStore& images() { return stores_->images(); }
  chat::MessageStore& messages() { return stores_->messages(); }

  /// A user `id` named `name`, with email "<id>@example.test" unless given
  /// (nullopt: an account without an email).
  void add_user(const std::string& id, const std::string& name,
                std::optional<std::optional<std::string>> email = std::nullopt) {
    chat::User u;
    u.id = id;
    u.name = name;
    u.email = email ? *email : std::optional<std::string>(id + "@example.test");
    u.created_at_ms = kT0;
    ASSERT_TRUE(users().insert(u, ""));
  }

  std::unique_ptr<Stores> stores_;
};

}  // namespace chattwo::store::contract
