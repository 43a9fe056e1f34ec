#pragma once
// A Message's JSON made before its seq and unread count are known: those
// two come from the commit, which the single writer runs for everyone, so
// everything else is serialised ahead, on the sender's own worker, and the
// writer only writes the two numbers in (no JSON work in the serial part).
#include <cstdint>
#include <string>

#include "chat/message.hpp"

namespace chattwo::api {

class MessageJsonTemplate {
 public:
  /// From a draft: every field but seq and unreadCount.
  explicit MessageJsonTemplate(const chat::Message& draft);
  /// The same text as message_json() of the draft with these two numbers.
  std::string fill(std::int64_t seq, std::int64_t unread_count) const;

 private:
  std::string head_;    // {"id":…,"roomId":…,"seq":
  std::string middle_;  // ,"senderId":…,"createdAt":"…","unreadCount":
};

}  // namespace chattwo::api
