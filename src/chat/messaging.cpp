#include "chat/messaging.hpp"

#include <algorithm>

#include "chat/validation.hpp"

namespace chattwo::chat {
namespace {

// As RoomService says it: one answer for "no such room" and "not yours".
Error no_such_room() { return Error::not_found("no room with this id that you are a member of"); }

}  // namespace

Messaging::Messaging(MessageStore& messages, Clock& clock, IdGenerator& ids, SendRateLimiter* limiter,
                     ImageStore* images)
    : messages_(messages), clock_(clock), ids_(ids), limiter_(limiter), images_(images) {}

Result<Sent> Messaging::send(std::string_view caller_id, std::string_view room_id, const SendRequest& request) {
  auto drafted = draft(caller_id, room_id, request);
  if (!drafted) return fail(std::move(drafted).error());
  return append(*drafted);
}

Result<Message> Messaging::draft(std::string_view caller_id, std::string_view room_id, const SendRequest& request) {
  // Body checks first: they need no storage and tell an outsider nothing
  // about the room. Membership is checked by the store inside the append,
  // so a member who leaves meanwhile can't slip a message in.
  if (auto ok = check_client_msg_id(request.client_msg_id); !ok) return fail(ok.error());
  if (request.type != "text" && request.type != "image") {
    return fail(Error::validation("type must be \"text\" or \"image\"", "type"));
  }
  std::optional<Image> image;
  if (request.type == "image") {
    // One's own upload only: an id seen in someone else's message can't be
    // reposted into a room its uploader never shared it with.
    std::optional<Image> found;
    if (images_ && request.image_id) found = images_->find(*request.image_id);
    if (!found || found->uploader_id != caller_id) {
      return fail(Error{Code::validation, "imageId must be an image you uploaded (POST /api/v1/images)", "imageId"});
    }
    image = std::move(found);
  } else if (auto ok = check_message_text(request.text); !ok) {
    return fail(ok.error());
  }
  if (limiter_ && !limiter_->try_send(caller_id, clock_.now_ms())) {
    Error e{Code::rate_limited, "you are sending too fast; slow down"};
    e.retry_after_s = 1;
    return fail(std::move(e));
  }

  Message message;
  message.id = ids_.next_id();
  message.room_id = std::string(room_id);
  message.sender_id = std::string(caller_id);
  if (image) {
    message.type = MessageType::image;
    message.image_id = image->id;
    message.image = std::move(image);
  } else {
    message.type = MessageType::text;
    message.text = request.text;
  }
  message.client_msg_id = request.client_msg_id;
  message.created_at_ms = clock_.now_ms();
  return message;
}

namespace {

Result<Sent> to_sent(Result<Appended> appended) {
  if (!appended) {
    if (appended.error().code == Code::not_found) return fail(no_such_room());
    return fail(std::move(appended).error());
  }
  return Sent{std::move(appended->message), appended->created};
}

}  // namespace

Result<Sent> Messaging::append(const Message& draft) { return to_sent(messages_.append(draft)); }

std::vector<Result<Sent>> Messaging::append_all(const std::vector<Message>& drafts) {
  std::vector<Result<Sent>> out;
  out.reserve(drafts.size());
  for (auto& appended : messages_.append_all(drafts)) out.push_back(to_sent(std::move(appended)));
  return out;
}

Result<ReadMark> Messaging::mark_read(std::string_view caller_id, std::string_view room_id, std::int64_t seq) {
  if (seq < 0) return fail(Error::validation("seq must be 0 or more", "seq"));
  auto mark = messages_.mark_read(room_id, caller_id, seq);
  if (!mark && mark.error().code == Code::not_found) return fail(no_such_room());
  return mark;
}

Result<MessagePage> Messaging::history(std::string_view caller_id, std::string_view room_id, const PageQuery& query) {
  constexpr std::size_t kDefaultLimit = 50, kMaxLimit = 100;
  if (query.before_seq && query.after_seq) {
    return fail(Error::validation("give before or after, not both", "before"));
  }
  if ((query.before_seq && *query.before_seq < 0) || (query.after_seq && *query.after_seq < 0)) {
    return fail(Error::validation("before and after are seqs: 0 or more", query.before_seq ? "before" : "after"));
  }
  PageQuery bounded = query;
  bounded.limit = query.limit == 0 ? kDefaultLimit : std::min(query.limit, kMaxLimit);
  return messages_.page(room_id, caller_id, bounded);
}

}  // namespace chattwo::chat
