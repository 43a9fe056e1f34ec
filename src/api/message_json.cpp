#include "api/message_json.hpp"

#include <boost/json/serialize.hpp>

#include "api/presenters.hpp"

namespace chattwo::api {

// The draft's JSON with seq and unreadCount 0, cut around the two zeros.
// The cuts are unambiguous: a quote inside a JSON string is always escaped
// (\"), so the key "seq" appears unescaped only as the key itself, and
// unreadCount is message_object's last field.
MessageJsonTemplate::MessageJsonTemplate(const chat::Message& draft) {
  chat::Message zeroed = draft;
  zeroed.seq = 0;
  zeroed.unread_count = 0;
  const std::string json = boost::json::serialize(message_object(zeroed));
  static constexpr std::string_view kSeq = ",\"seq\":0", kUnread = ",\"unreadCount\":0}";
  const std::size_t seq_at = json.find(kSeq);
  const std::size_t unread_at = json.size() - kUnread.size();
  head_ = json.substr(0, seq_at + kSeq.size() - 1);                                     // …,"seq":
  middle_ = json.substr(seq_at + kSeq.size(), unread_at - seq_at - kSeq.size());         // ,"senderId":…
  middle_ += kUnread.substr(0, kUnread.size() - 2);                                     // ,"unreadCount":
}

std::string MessageJsonTemplate::fill(std::int64_t seq, std::int64_t unread_count) const {
  std::string out;
  out.reserve(head_.size() + middle_.size() + 24);
  out += head_;
  out += std::to_string(seq);
  out += middle_;
  out += std::to_string(unread_count);
  out += '}';
  return out;
}

}  // namespace chattwo::api
