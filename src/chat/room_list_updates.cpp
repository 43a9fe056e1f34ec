#include "chat/room_list_updates.hpp"

#include <utility>
#include <vector>

namespace chattwo::chat {

RoomListUpdates::RoomListUpdates(RoomStore& rooms, RoomListSink& sink, std::chrono::milliseconds window)
    : rooms_(rooms), sink_(sink), window_(window) {}

RoomListUpdates::~RoomListUpdates() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

// Only the first change of a quiet period wakes the thread: on a busy
// server that is one wake per window, not a futex call per message.
void RoomListUpdates::room_changed(std::string_view room_id) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = rooms_pending_.empty() && members_pending_.empty();
    if (auto it = rooms_pending_.find(room_id); it == rooms_pending_.end()) rooms_pending_.emplace(room_id);
  }
  if (first) wake_.notify_one();
}

void RoomListUpdates::member_changed(std::string_view room_id, std::string_view user_id) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = rooms_pending_.empty() && members_pending_.empty();
    members_pending_[std::string(room_id)].emplace(user_id);
  }
  if (first) wake_.notify_one();
}

void RoomListUpdates::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

std::size_t RoomListUpdates::flush() {
  std::lock_guard flushing(flush_mutex_);
  std::unordered_set<std::string, Hash, std::equal_to<>> rooms;
  std::unordered_map<std::string, std::set<std::string>> members;
  {
    std::lock_guard lock(mutex_);
    rooms.swap(rooms_pending_);
    members.swap(members_pending_);
  }
  std::size_t sent = 0;
  // One room failing (a read past the busy timeout) costs that room this
  // round, not the others': it goes back in the queue for the next one.
  auto send = [&](const std::string& room_id, const std::vector<std::string>& only) {
    try {
      auto views = rooms_.member_summaries(room_id, only);
      if (views.empty()) return;  // the room is gone, or they left it
      sink_.views_changed(views);
      sent += views.size();
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (only.empty()) {
        rooms_pending_.emplace(room_id);
      } else {
        members_pending_[room_id].insert(only.begin(), only.end());
      }
    }
  };
  for (const auto& room_id : rooms) send(room_id, {});
  for (const auto& [room_id, users] : members) {
    if (rooms.contains(room_id)) continue;  // every member's view went out already
    send(room_id, std::vector<std::string>(users.begin(), users.end()));
  }
  return sent;
}

void RoomListUpdates::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [&] { return !rooms_pending_.empty() || !members_pending_.empty(); })) return;
    }
    // Let the window's other changes arrive: they go out in the same flush.
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, window_, [] { return false; });
      if (stop.stop_requested()) return;
    }
    try {
      flush();  // a room that fails is queued again inside
    } catch (...) {
      // Out of memory while swapping the queues: the thread lives on.
    }
  }
}

}  // namespace chattwo::chat
