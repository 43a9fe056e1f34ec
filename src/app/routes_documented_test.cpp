// Every route the server knows is in docs/openapi.yaml, and every operation
// the document describes is a route: the published contract and the code
// can't drift apart silently. The routes come from api::all_routes on a
// context composed as serve.cpp composes it (in-memory storage).
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "api/notification_events.hpp"
#include "api/request_auth.hpp"
#include "api/room_events.hpp"
#include "api/routes.hpp"
#include "auth/argon2id_hasher.hpp"
#include "auth/sodium_secret_source.hpp"
#include "bus/local/local_event_bus.hpp"
#include "chat/account_service.hpp"
#include "chat/friend_service.hpp"
#include "chat/messaging.hpp"
#include "chat/notification_service.hpp"
#include "chat/room_service.hpp"
#include "chat/user_directory.hpp"
#include "ops/health.hpp"
#include "ops/metrics.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_friend_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_notification_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_session_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"
#include "store/sqlite/sqlite_write_batch.hpp"

namespace {

using namespace chattwo;
using Operation = std::pair<std::string, std::string>;  // method (lower case), path

// "paths:" then "  /path:" (two spaces) then "    get:" (four): the
// document's own layout, which the YAML of docs/openapi.yaml keeps.
std::set<Operation> documented_operations() {
  std::ifstream in(std::string(CHATTWO_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in) << "docs/openapi.yaml not found";
  std::set<Operation> ops;
  std::string line, path;
  bool in_paths = false;
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line.size() > 4 && line[4] != ' ' && line.back() == ':') {
      const std::string method = line.substr(4, line.size() - 5);
      if (kMethods.contains(method)) ops.emplace(method, path);
    }
  }
  return ops;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(RoutesDocumented, EveryRouteIsInTheOpenApiDocumentAndTheOtherWayRound) {
  chat::SystemClock clock;
  chat::UlidGenerator ids(clock);
  ops::Registry metrics;
  ops::Health health;
  store::sqlite::Database db({":memory:"}, clock.now_ms());
  store::sqlite::SqliteUserStore users(db);
  store::sqlite::SqliteSessionStore sessions(db);
  auth::Argon2idHasher hasher({8 << 20, 1});
  auth::SodiumSecretSource secrets;
  chat::LoginThrottle throttle({10, 100, 900'000});
  chat::AccountService accounts(users, sessions, hasher, secrets, clock, ids, throttle, chat::AccountSettings{});
  api::RequestAuth request_auth(accounts, secrets, false);
  store::sqlite::SqliteRoomStore room_store(db);
  store::sqlite::SqliteMessageStore message_store(db);
  chat::RoomService rooms(room_store, users, clock, ids);
  chat::Messaging messaging(message_store, clock, ids);
  bus::local::LocalEventBus bus;
  api::RoomEvents room_events(bus);
  store::sqlite::SqliteWriteBatch write_batch(db);
  chat::UserDirectory directory(users);
  store::sqlite::SqliteNotificationStore notification_store(db);
  api::NotificationEvents notification_events(bus);
  chat::NotificationService notifications(notification_store, users, notification_events, clock, ids);
  store::sqlite::SqliteFriendStore friend_store(db);
  chat::FriendService friends(friend_store, users, notifications, write_batch, clock);
  api::ApiContext ctx{accounts, request_auth, clock,     health, metrics,   1 << 20,      rooms,
                      messaging, room_events, bus,       directory, friends, notifications, write_batch};

  std::set<Operation> routed;
  for (const auto& route : api::all_routes(ctx)) {
    std::string method = lower(api::to_string(route.method));
    if (method == "head") continue;  // Beast answers HEAD for every GET; not an operation of its own
    routed.emplace(method, route.pattern);
  }
  const auto documented = documented_operations();
  ASSERT_FALSE(documented.empty());
  for (const auto& [method, path] : routed) {
    EXPECT_TRUE(documented.contains({method, path})) << "routed but not in docs/openapi.yaml: " << method << " " << path;
  }
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(routed.contains({method, path})) << "in docs/openapi.yaml but not routed: " << method << " " << path;
  }
}

}  // namespace
