#pragma once
// The application behind the STOMP broker: authentication through the
// account service, room subscriptions for members only, and the /app/
// destinations of API.md wired to the same services and events as REST.
#include "api/request_auth.hpp"
#include "api/message_json.hpp"
#include "api/room_events.hpp"
#include "api/stomp_app.hpp"
#include "chat/account_service.hpp"
#include "chat/messaging.hpp"
#include "chat/room_service.hpp"
#include "chat/write_batch.hpp"

namespace chattwo::api {

class ChatStompApp final : public StompApp {
 public:
  ChatStompApp(chat::AccountService& accounts, chat::RoomService& rooms, chat::Messaging& messaging,
               RoomEvents& events, chat::WriteBatch& batch)
      : accounts_(accounts), rooms_(rooms), messaging_(messaging), events_(events), batch_(batch) {}

  chat::Result<StompUser> authenticate(std::string_view bearer, std::string_view cookie_secret) override;
  chat::Result<std::string> subscription_topic(const StompUser& user, std::string_view destination) override;
  std::vector<std::optional<std::string>> send_batch(const StompUser& user,
                                                     const std::vector<SendItem>& items) override;
  std::string subscribe_error(const chat::Error& error, std::string_view destination) override;

 private:
  /// One SEND on its way: checked and drafted before the batch (in
  /// parallel with other connections' workers), stored inside it (serial:
  /// the group commit's leader runs it), published after the commit.
  struct Work {
    std::string_view receipt;
    std::string client_msg_id;
    std::optional<chat::Message> draft;                        // a message to store
    std::optional<MessageJsonTemplate> json;                   // its event, all but seq and unreadCount
    std::optional<std::pair<std::string, std::int64_t>> read;  // a read mark to move: room, seq
    std::optional<std::string> error;                          // the /user/queue/errors body, if refused
    // What the commit changed, to publish once it is durable.
    std::optional<chat::Message> created;
    std::optional<chat::ReadMark> moved;
  };
  void prepare(const StompUser& user, const SendItem& item, Work& work);
  void store_messages(const std::vector<Work*>& run);
  void store_read(const StompUser& user, Work& work);

  chat::AccountService& accounts_;
  chat::RoomService& rooms_;
  chat::Messaging& messaging_;
  RoomEvents& events_;
  chat::WriteBatch& batch_;
};

}  // namespace chattwo::api
