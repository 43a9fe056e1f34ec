#pragma once
// Keeps every member's open room list current (API.md: a `room` event on
// /user/queue/notifications "whenever one of the user's rooms changes").
//
// A summary is per member (their badge, the others shown), so making one
// per member per message would cost a busy room of 100 members 100
// summaries per message. Changes are coalesced instead: a change only marks
// the room (or one member's view of it) dirty, and a flush, at most every
// `window`, reads each dirty room once for all its members
// (RoomStore::member_summaries) and hands the views to the sink. A room that
// gets 1,000 messages in a window costs one read and one event per member.
// The pending set holds at most one entry per room and per (room, member)
// pair, so it is bounded by the data, whatever the message rate.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "chat/room_list_sink.hpp"
#include "chat/room_store.hpp"

namespace chattwo::chat {

class RoomListUpdates {
 public:
  RoomListUpdates(RoomStore& rooms, RoomListSink& sink, std::chrono::milliseconds window);
  ~RoomListUpdates();  // stops the thread, if started; pending changes are dropped
  RoomListUpdates(const RoomListUpdates&) = delete;
  RoomListUpdates& operator=(const RoomListUpdates&) = delete;

  /// Something every member sees changed: a message (its last message and
  /// badges), a rename, members joining or leaving. Cheap, never blocks on
  /// storage: call it after the change is committed, from any thread.
  void room_changed(std::string_view room_id);
  /// Only `user_id`'s view changed: their read mark moved (their badge), or
  /// they came back to a room.
  void member_changed(std::string_view room_id, std::string_view user_id);

  /// Starts the thread that flushes what is pending, `window` after the
  /// first change of a quiet period. Without it, flush() does the work (tests).
  void start();
  /// Reads and sends every pending view now, on the caller's thread.
  /// Returns how many views were sent.
  std::size_t flush();

 private:
  void run(std::stop_token stop);

  RoomStore& rooms_;
  RoomListSink& sink_;
  const std::chrono::milliseconds window_;

  std::mutex mutex_;
  std::condition_variable_any wake_;
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> rooms_pending_;  // every member's view (lookup without a copy)
  std::unordered_map<std::string, std::set<std::string>> members_pending_;           // room -> some members' views
  std::mutex flush_mutex_;  // one flush at a time, so a room's views go out in order
  std::jthread thread_;
};

}  // namespace chattwo::chat
