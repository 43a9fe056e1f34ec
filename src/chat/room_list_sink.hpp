#pragma once
#include <vector>

#include "chat/room.hpp"

namespace chattwo::chat {

/// Port: where members' new views of their rooms go live, each to its
/// user's /user/queue/notifications as a `room` event. The domain can't make
/// JSON; api/RoomListEvents serialises each view once and publishes them on
/// the bus together. Called from RoomListUpdates' thread: may block on
/// storage (to look up the members shown), never on the network.
class RoomListSink {
 public:
  virtual ~RoomListSink() = default;
  virtual void views_changed(const std::vector<MemberSummary>& views) = 0;
};

}  // namespace chattwo::chat
