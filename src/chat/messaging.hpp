#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/clock.hpp"
#include "chat/message.hpp"
#include "chat/image_store.hpp"
#include "chat/message_store.hpp"
#include "chat/send_rate_limiter.hpp"
#include "chat/result.hpp"

namespace chattwo::chat {

/// A send as the client asked for it, before any checks (REST and STOMP
/// both hand it over as parsed from their JSON body).
struct SendRequest {
  std::string client_msg_id;
  std::string type;  // "text" or "image"
  std::string text;
  std::optional<std::string> image_id;
};

/// What send hands back: the message as stored, and whether this call
/// stored it (false: an idempotent retry, which must not be announced again).
struct Sent {
  Message message;
  bool created = false;
};

/// Messages and read marks: the one path every send takes, whether it came
/// over REST or STOMP, so both check the same things. All methods block
/// (storage): call from a worker.
class Messaging {
 public:
  /// `limiter` may be null (no send rate limit); `images` null: no image
  /// messages (type "image" is refused).
  Messaging(MessageStore& messages, Clock& clock, IdGenerator& ids, SendRateLimiter* limiter = nullptr,
            ImageStore* images = nullptr);

  /// Stores a message from `caller_id` as the room's next seq; the caller's
  /// read mark moves to it. Code::validation for a bad body (field says
  /// which), Code::not_found when the caller is not a member, Code::conflict
  /// when clientMsgId was already used in another room. A repeated
  /// clientMsgId returns the original message with created = false.
  Result<Sent> send(std::string_view caller_id, std::string_view room_id, const SendRequest& request);

  /// send() in two steps, for a caller that stores many messages in one
  /// WriteBatch: draft() does the checks and makes the message (id, time)
  /// without storage — run it before the batch, in parallel with other
  /// workers; append() stores a draft — the only part that must run inside
  /// the batch, whose commits are serial. draft() has send()'s validation
  /// and rate-limit errors, append() its storage ones.
  Result<Message> draft(std::string_view caller_id, std::string_view room_id, const SendRequest& request);
  Result<Sent> append(const Message& draft);
  /// append() for several drafts in order (MessageStore::append_all: a run
  /// of one sender's drafts to one room costs one seq update).
  std::vector<Result<Sent>> append_all(const std::vector<Message>& drafts);

  /// Moves the caller's read mark to `seq` (clamped to the room's last seq),
  /// only ever forward: a lower seq is a no-op with moved = false.
  /// Code::not_found when the caller is not a member; Code::validation for
  /// a negative seq.
  Result<ReadMark> mark_read(std::string_view caller_id, std::string_view room_id, std::int64_t seq);

  /// A page of history as the caller may see it (from their joined_seq on),
  /// with unread counts. `limit` 0 means the default (50); over 100 reads as
  /// 100. Code::validation for both `before` and `after`, or a negative
  /// one; Code::not_found when the caller is not a member.
  Result<MessagePage> history(std::string_view caller_id, std::string_view room_id, const PageQuery& query);

 private:
  MessageStore& messages_;
  Clock& clock_;
  IdGenerator& ids_;
  SendRateLimiter* limiter_;
  ImageStore* images_;
};

}  // namespace chattwo::chat
