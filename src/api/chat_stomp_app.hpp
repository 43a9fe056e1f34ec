#pragma once
// The application behind the STOMP broker: authentication through the
// account service, room subscriptions for members only, and the /app/
// destinations of API.md wired to the same services and events as REST.
#include "api/request_auth.hpp"
#include "api/room_events.hpp"
#include "api/stomp_app.hpp"
#include "chat/account_service.hpp"
#include "chat/messaging.hpp"
#include "chat/room_service.hpp"

namespace chattwo::api {

class ChatStompApp final : public StompApp {
 public:
  ChatStompApp(chat::AccountService& accounts, chat::RoomService& rooms, chat::Messaging& messaging,
               RoomEvents& events)
      : accounts_(accounts), rooms_(rooms), messaging_(messaging), events_(events) {}

  chat::Result<StompUser> authenticate(std::string_view bearer, std::string_view cookie_secret) override;
  chat::Result<std::string> subscription_topic(const StompUser& user, std::string_view destination) override;
  std::optional<std::string> send(const StompUser& user, std::string_view destination, std::string_view body,
                                  const SendInfo& info) override;
  std::string subscribe_error(const chat::Error& error, std::string_view destination) override;

 private:
  chat::AccountService& accounts_;
  chat::RoomService& rooms_;
  chat::Messaging& messaging_;
  RoomEvents& events_;
};

}  // namespace chattwo::api
