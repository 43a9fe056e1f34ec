#pragma once
// What the STOMP broker asks of the application: who a connection is, where
// it may subscribe, and what a SEND to /app/... does. Plain synchronous
// calls that block (storage): the broker runs them on a worker thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/result.hpp"

namespace chattwo::api {

struct StompUser {
  std::string user_id;
  std::string session_id;  // the sign-in behind the connection (closed when it is revoked)
};

class StompApp {
 public:
  virtual ~StompApp() = default;

  /// The user behind a CONNECT: by its `Authorization: Bearer` header
  /// (`bearer`, without the scheme) or else by the WebSocket handshake's
  /// session cookie (`cookie_secret`). Code::unauthenticated otherwise.
  virtual chat::Result<StompUser> authenticate(std::string_view bearer, std::string_view cookie_secret) = 0;

  /// The bus topic behind `destination` if `user` may subscribe to it
  /// ("/topic/rooms.R" -> "rooms.R" for members; "/user/queue/notifications"
  /// -> "users.<own id>"). Code::not_found or forbidden otherwise.
  virtual chat::Result<std::string> subscription_topic(const StompUser& user, std::string_view destination) = 0;

  /// One SEND of a batch.
  struct SendItem {
    std::string destination;
    std::string body;
    std::string receipt;
  };
  /// Performs SENDs to /app/ destinations of one connection, in order,
  /// storing them together (one commit) and publishing the events they cause
  /// after the commit. Per item: nullopt when done, else the problem+json
  /// body for the user's /user/queue/errors.
  virtual std::vector<std::optional<std::string>> send_batch(const StompUser& user,
                                                             const std::vector<SendItem>& items) = 0;

  /// The problem+json body for a refused SUBSCRIBE (for /user/queue/errors).
  virtual std::string subscribe_error(const chat::Error& error, std::string_view destination) = 0;
};

}  // namespace chattwo::api
