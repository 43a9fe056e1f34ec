#include "api/message_json.hpp"

#include <boost/json/serialize.hpp>

#include "api/presenters.hpp"

namespace chattwo::api {

// message_object's fields in its order, split around the two numbers:
// serialising the parts with Boost.JSON keeps its escaping exactly.
MessageJsonTemplate::MessageJsonTemplate(const chat::Message& draft) {
  boost::json::object all = message_object(draft);
  boost::json::object head, tail;
  bool after_seq = false;
  for (const auto& field : all) {
    if (field.key() == "seq") {
      after_seq = true;
    } else if (field.key() != "unreadCount") {
      (after_seq ? tail : head).emplace(field.key(), field.value());
    }
  }
  head_ = boost::json::serialize(head);
  head_.pop_back();  // '}'
  head_ += head.empty() ? "\"seq\":" : ",\"seq\":";
  const std::string rest = boost::json::serialize(tail);
  middle_ = rest.size() > 2 ? "," + rest.substr(1, rest.size() - 2) : std::string();
  middle_ += ",\"unreadCount\":";
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
