#include "chat/notification_service.hpp"

#include <algorithm>
#include <map>

#include "chat/query_checks.hpp"

namespace chattwo::chat {

NotificationService::NotificationService(NotificationStore& store, UserStore& users, NotificationSink& sink,
                                         Clock& clock, IdGenerator& ids)
    : store_(store), users_(users), sink_(sink), clock_(clock), ids_(ids) {}

Result<Notification> NotificationService::friend_added(std::string_view actor_id, std::string_view recipient_id) {
  auto view = record(NotificationType::friend_added, actor_id, recipient_id, std::nullopt);
  if (!view) return fail(view.error());
  announce(*view);
  return std::move(view->notification);
}

Result<Notification> NotificationService::room_invited(std::string_view actor_id, std::string_view recipient_id,
                                                       std::string_view room_id) {
  auto view = record(NotificationType::room_invited, actor_id, recipient_id, std::string(room_id));
  if (!view) return fail(view.error());
  announce(*view);
  return std::move(view->notification);
}

Result<NotificationView> NotificationService::record(NotificationType type, std::string_view actor_id,
                                                     std::string_view recipient_id,
                                                     std::optional<std::string> room_id) {
  if (actor_id == recipient_id) {
    return fail(Error::validation("a user is never notified of what they did themselves"));
  }
  if ((type == NotificationType::room_invited) != room_id.has_value()) {
    // A caller's bug, not the client's: room_invited needs a room, nothing else has one.
    return fail(Error::internal("a room_invited notification, and only that, names a room"));
  }
  // The actor's profile goes out with the live event; looking it up first
  // also tells an unknown actor from an unknown recipient.
  auto actor = users_.find_by_id(actor_id);
  if (!actor) return fail(Error::not_found("no user with id " + std::string(actor_id)));

  Notification n;
  n.id = ids_.next_id();
  n.recipient_id = std::string(recipient_id);
  n.type = type;
  n.actor_id = actor->id;
  n.room_id = std::move(room_id);
  n.created_at_ms = clock_.now_ms();
  if (auto stored = store_.insert(n); !stored) return fail(stored.error());
  return NotificationView{std::move(n), std::move(*actor)};
}

void NotificationService::announce(const NotificationView& view) { sink_.notification_created(view); }

Result<NotificationFeed> NotificationService::list(std::string_view caller_id,
                                                   const std::optional<std::string>& before, std::size_t limit) {
  if (limit < 1) return fail(Error::validation("limit must be at least 1", "limit"));
  if (before) {
    if (auto ok = check_id(*before, "before"); !ok) return fail(ok.error());
  }
  auto page = store_.page(caller_id, before ? std::optional<std::string_view>(*before) : std::nullopt,
                          std::min(limit, kMaxNotificationPage));
  if (!page) return fail(Error::validation("before must be the id of one of your notifications", "before"));

  NotificationFeed feed;
  feed.has_more = page->has_more;
  feed.unread_count = page->unread_count;
  feed.notifications.reserve(page->notifications.size());
  // One lookup per distinct actor: a page of 100 friend requests from a
  // few people costs a few point reads. Actors are shown as they are now.
  std::map<std::string, std::optional<User>, std::less<>> actors;
  for (auto& n : page->notifications) {
    auto [it, fresh] = actors.try_emplace(n.actor_id);
    if (fresh) it->second = users_.find_by_id(n.actor_id);
    // An actor deleted since the page was read: their notifications go with
    // them (ON DELETE CASCADE), so leave this one out as already gone.
    if (!it->second) continue;
    feed.notifications.push_back(NotificationView{std::move(n), *it->second});
  }
  return feed;
}

Result<void> NotificationService::mark_read(std::string_view caller_id, const std::vector<std::string>& ids) {
  if (ids.size() > kMaxNotificationIdsPerRead) {
    return fail(Error::validation("ids may name at most " + std::to_string(kMaxNotificationIdsPerRead) +
                                      " notifications; use {\"all\": true} to mark them all",
                                  "ids"));
  }
  for (const auto& id : ids) {
    if (auto ok = check_id(id, "ids"); !ok) return fail(ok.error());
  }
  if (!ids.empty()) store_.mark_read(caller_id, ids, clock_.now_ms());
  return {};
}

void NotificationService::mark_all_read(std::string_view caller_id) { store_.mark_all_read(caller_id, clock_.now_ms()); }

}  // namespace chattwo::chat
