#pragma once
// Room-list updates as API.md's `room` events: each member's view of a
// changed room goes to their /user/queue/notifications as {"room":
// RoomSummary}, serialised once per member and published together.
#include <string>
#include <vector>

#include "api/presenters.hpp"
#include "chat/account_service.hpp"
#include "chat/event_bus.hpp"
#include "chat/room_list_sink.hpp"

namespace chattwo::api {

class RoomListEvents final : public chat::RoomListSink {
 public:
  RoomListEvents(chat::EventBus& bus, chat::AccountService& accounts) : bus_(bus), accounts_(accounts) {}
  /// Looks up the members the views show (one query), then publishes.
  void views_changed(const std::vector<chat::MemberSummary>& views) override;

  /// {"room": RoomSummary}: the body of a `room` event.
  static std::string room_event_json(const chat::RoomSummary& summary, const UsersById& users);

 private:
  chat::EventBus& bus_;
  chat::AccountService& accounts_;
};

}  // namespace chattwo::api
