#include "api/chat_stomp_app.hpp"

#include <boost/json.hpp>

#include "api/problem.hpp"

namespace chattwo::api {
namespace {

// "/app/rooms.R.messages" -> "R" for suffix ".messages".
std::optional<std::string_view> room_of(std::string_view destination, std::string_view prefix, std::string_view suffix) {
  if (!destination.starts_with(prefix) || !destination.ends_with(suffix)) return std::nullopt;
  std::string_view id = destination.substr(prefix.size(), destination.size() - prefix.size() - suffix.size());
  if (id.empty() || id.find_first_of("./") != std::string_view::npos) return std::nullopt;
  return id;
}

// problem+json for /user/queue/errors, with what lets the client match it
// to its frame: the receipt id and the message's clientMsgId.
std::string error_body(const chat::Error& error, std::string_view receipt, std::string_view client_msg_id) {
  boost::json::object o = boost::json::parse(to_problem(error).body).as_object();
  if (!receipt.empty()) o["receiptId"] = receipt;
  if (!client_msg_id.empty()) o["clientMsgId"] = client_msg_id;
  return boost::json::serialize(o);
}

chat::Result<boost::json::object> parse_body(std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return chat::fail(chat::Error::validation("the body must be a JSON object"));
  return std::move(value.as_object());
}

}  // namespace

chat::Result<StompUser> ChatStompApp::authenticate(std::string_view bearer, std::string_view cookie_secret) {
  auto caller = accounts_.authenticate(bearer.empty() ? cookie_secret : bearer);
  if (!caller) return chat::fail(caller.error());
  return StompUser{caller->user.id, caller->session.id};
}

chat::Result<std::string> ChatStompApp::subscription_topic(const StompUser& user, std::string_view destination) {
  if (destination == "/user/queue/notifications") return "users." + user.user_id;
  if (auto room = room_of(destination, "/topic/rooms.", "")) {
    // Members only; for everyone else the room does not exist.
    if (rooms_.is_member(user.user_id, *room)) return "rooms." + std::string(*room);
    return chat::fail(chat::Error::not_found("no such room"));
  }
  if (destination.starts_with("/user/")) return chat::fail(chat::Error::forbidden("only your own /user/queue/ destinations"));
  return chat::fail(chat::Error::not_found("no such destination"));
}

std::vector<std::optional<std::string>> ChatStompApp::send_batch(const StompUser& user,
                                                                 const std::vector<SendItem>& items) {
  std::vector<Work> work(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) prepare(user, items[i], work[i]);
  batch_.run(
      [&] {
        // Consecutive messages are stored together (a connection's run of
        // SENDs to one room takes its seqs at once); a read in between is
        // applied in its place, after the messages before it.
        std::vector<Work*> run;
        auto store_run = [&] {
          if (!run.empty()) store_messages(run);
          run.clear();
        };
        for (auto& w : work) {
          if (w.draft) {
            run.push_back(&w);
          } else {
            store_run();
            store_read(user, w);
          }
        }
        store_run();
      },
      [&] {
        // Committed: only now may anyone see these messages; and published
        // in commit order, so every room's events go out in seq order. All
        // at once, so each subscriber gets the batch in one write.
        RoomEvents::Batch events(events_);
        for (const auto& w : work) {
          if (w.created) events.message_created(*w.created, w.json->fill(w.created->seq, w.created->unread_count));
          if (w.moved) events.read_moved(*w.moved);
        }
        events.publish();
      });
  std::vector<std::optional<std::string>> results;
  results.reserve(work.size());
  for (auto& w : work) results.push_back(std::move(w.error));
  return results;
}

void ChatStompApp::prepare(const StompUser& user, const SendItem& item, Work& work) {
  work.receipt = item.receipt;
  auto object = parse_body(item.body);
  if (!object) {
    work.error = error_body(object.error(), work.receipt, {});
    return;
  }
  if (auto room = room_of(item.destination, "/app/rooms.", ".messages")) {
    auto request = parse_send_request(*object);
    if (request) work.client_msg_id = request->client_msg_id;
    if (!request) {
      work.error = error_body(request.error(), work.receipt, {});
      return;
    }
    auto draft = messaging_.draft(user.user_id, *room, *request);
    if (!draft) {
      work.error = error_body(draft.error(), work.receipt, work.client_msg_id);
      return;
    }
    work.json.emplace(*draft);
    work.draft = std::move(*draft);
    return;
  }
  if (auto room = room_of(item.destination, "/app/rooms.", ".read")) {
    auto seq = parse_read_seq(*object);
    if (!seq) {
      work.error = error_body(seq.error(), work.receipt, {});
      return;
    }
    work.read.emplace(std::string(*room), *seq);
    return;
  }
  work.error = error_body(chat::Error::not_found("no such destination: " + std::string(item.destination)), work.receipt, {});
}

void ChatStompApp::store_messages(const std::vector<Work*>& run) {
  std::vector<chat::Message> drafts;
  drafts.reserve(run.size());
  for (const Work* w : run) drafts.push_back(*w->draft);
  auto sent = messaging_.append_all(drafts);
  for (std::size_t i = 0; i < run.size(); ++i) {
    Work& w = *run[i];
    if (!sent[i]) {
      w.error = error_body(sent[i].error(), w.receipt, w.client_msg_id);
    } else if (sent[i]->created) {
      w.created = std::move(sent[i]->message);
    }
  }
}

void ChatStompApp::store_read(const StompUser& user, Work& work) {
  if (!work.read) return;  // refused before storage
  auto mark = messaging_.mark_read(user.user_id, work.read->first, work.read->second);
  if (!mark) {
    work.error = error_body(mark.error(), work.receipt, {});
  } else if (mark->moved) {
    work.moved = std::move(*mark);
  }
}

std::string ChatStompApp::subscribe_error(const chat::Error& error, std::string_view destination) {
  chat::Error e = error;
  e.detail = "cannot subscribe to " + std::string(destination) + ": " + e.detail;
  return error_body(e, {}, {});
}

}  // namespace chattwo::api
