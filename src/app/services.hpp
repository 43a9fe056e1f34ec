#pragma once
// The composition of the domain on its embedded adapters (SQLite, the
// in-process bus): every store, service and event sink the routes and the
// broker use, built in dependency order and destroyed in reverse. serve.cpp
// puts the network around it; tests build the same thing in memory. This is
// where the scaled-out adapters (MySQL, DynamoDB, Redis) will be chosen.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "api/notification_events.hpp"
#include "api/request_auth.hpp"
#include "api/room_events.hpp"
#include "api/room_list_events.hpp"
#include "auth/argon2id_hasher.hpp"
#include "auth/sodium_secret_source.hpp"
#include "bus/local/local_event_bus.hpp"
#include "chat/account_service.hpp"
#include "chat/blob_store.hpp"
#include "chat/friend_service.hpp"
#include "chat/image_service.hpp"
#include "chat/login_throttle.hpp"
#include "chat/messaging.hpp"
#include "chat/notification_service.hpp"
#include "chat/room_list_updates.hpp"
#include "chat/room_service.hpp"
#include "chat/send_rate_limiter.hpp"
#include "chat/user_directory.hpp"
#include "media/vips/vips_image_processor.hpp"
#include "ops/health.hpp"
#include "ops/settings.hpp"
#include "ops/metrics.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_friend_store.hpp"
#include "store/sqlite/sqlite_image_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_session_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"
#include "store/sqlite/sqlite_write_batch.hpp"

namespace chattwo::app {

struct ServicesSettings {
  store::sqlite::DatabaseSettings database;  // ":memory:" for tests
  auth::Argon2Settings argon2;
  chat::LoginThrottleSettings login_throttle;
  unsigned max_send_rate = 0;          // messages/s per user; 0 = no limit
  bool https = false;                  // session cookies are Secure
  std::size_t max_json_body_bytes = 1 << 20;
  // How long a room's changes gather before members' lists are updated.
  std::chrono::milliseconds room_list_window{200};
  // Images: where their bytes live (a folder, or S3), and a local folder
  // where uploads are checked and re-encoded (never inside the blob folder).
  ops::ImageStoreSettings images;
  std::string upload_work_dir;
};

/// The configured BlobStore: a folder (the embedded default) or S3.
std::unique_ptr<chat::BlobStore> make_blob_store(const ops::ImageStoreSettings& settings, chat::Clock& clock);

class Services {
 public:
  Services(const ServicesSettings& settings, chat::Clock& clock, chat::IdGenerator& ids, ops::Registry& metrics,
           ops::Health& health);
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // In construction order: each uses only those above it.
  store::sqlite::Database db;
  store::sqlite::SqliteUserStore users;
  store::sqlite::SqliteSessionStore sessions;
  store::sqlite::SqliteImageStore image_store;  // image records: avatars and image messages check them
  auth::Argon2idHasher hasher;
  auth::SodiumSecretSource secrets;
  chat::LoginThrottle throttle;
  chat::AccountService accounts;
  api::RequestAuth request_auth;

  store::sqlite::SqliteRoomStore room_store;
  store::sqlite::SqliteMessageStore message_store;
  store::sqlite::SqliteWriteBatch write_batch;
  chat::RoomService rooms;
  chat::SendRateLimiter send_limiter;
  chat::Messaging messaging;
  bus::local::LocalEventBus bus;  // this process's; Redis Pub/Sub when scaled out
  api::RoomListEvents room_list_events;
  chat::RoomListUpdates room_lists;  // started by start()
  api::RoomEvents room_events;

  chat::UserDirectory directory;
  store::sqlite::SqliteNotificationStore notification_store;
  api::NotificationEvents notification_events;
  chat::NotificationService notifications;
  store::sqlite::SqliteFriendStore friend_store;
  chat::FriendService friends;

  std::unique_ptr<chat::BlobStore> blobs;
  media::vips::VipsImageProcessor image_processor;
  chat::ImageService images;

  api::ApiContext context;

  /// Starts the background work (room-list updates).
  void start() { room_lists.start(); }
};

}  // namespace chattwo::app
