#pragma once
// What the REST handlers need, gathered once by app/ and passed to each
// group of routes.
#include <cstddef>
#include <string>

#include "api/request_auth.hpp"
#include "api/room_events.hpp"
#include "chat/account_service.hpp"
#include "chat/clock.hpp"
#include "chat/event_bus.hpp"
#include "chat/friend_service.hpp"
#include "chat/image_service.hpp"
#include "chat/messaging.hpp"
#include "chat/notification_service.hpp"
#include "chat/room_service.hpp"
#include "chat/write_batch.hpp"
#include "chat/user_directory.hpp"
#include "ops/health.hpp"
#include "ops/metrics.hpp"

namespace chattwo::api {

struct ApiContext {
  chat::AccountService& accounts;
  RequestAuth& auth;
  chat::Clock& clock;
  ops::Health& health;
  ops::Registry& metrics;
  std::size_t max_json_body_bytes;  // API.md: 1 MiB
  chat::RoomService& rooms;
  chat::Messaging& messaging;
  RoomEvents& room_events;  // what REST changes in a room goes to the bus here, as STOMP's do
  chat::EventBus& bus;      // e.g. "sessions.<id>" revoke: every node closes that session's STOMP connections
  chat::UserDirectory& directory;            // GET /api/v1/users?q=
  chat::FriendService& friends;              // /api/v1/friends
  chat::NotificationService& notifications;  // /api/v1/notifications; rooms code makes room_invited here
  chat::WriteBatch& batch;                   // several writes of one request in one commit
  chat::ImageService& images;                // /api/v1/images
  std::string upload_dir;                    // where uploads are written while they arrive
};

}  // namespace chattwo::api
