#include "stomp/broker/hub.hpp"

#include <algorithm>
#include <functional>

namespace chattwo::stomp::broker {

std::string destination_of_topic(const std::string& topic) {
  if (topic.starts_with("users.")) return "/user/queue/notifications";
  return "/topic/" + topic;
}

Hub::Hub(chat::EventBus& bus) : bus_(bus) {
  bus_.set_handler([this](std::span<const chat::BusEvent> events) { deliver_all(events); });
}

Hub::Shard& Hub::shard_of(const std::string& topic) const {
  return shards_[std::hash<std::string>{}(topic) % kShards];
}

void Hub::subscribe(const std::string& topic, const std::string& key, Subscription sub) {
  Shard& shard = shard_of(topic);
  bool first = false;
  {
    std::lock_guard lock(shard.mutex);
    auto& slot = shard.topics[topic];
    // Copy-on-write: a delivery in progress keeps the old list. Sized
    // exactly (a copy then push_back would double its capacity).
    first = !slot || slot->empty();
    auto list = std::make_shared<List>();
    list->reserve((slot ? slot->size() : 0) + 1);
    if (slot) {
      for (const Entry& e : *slot) {
        if (e.key != key) list->push_back(e);
      }
    }
    list->push_back(Entry{key, std::move(sub)});
    slot = std::move(list);
  }
  if (first) bus_.add_interest(topic);
}

void Hub::unsubscribe(const std::string& topic, const std::string& key) {
  Shard& shard = shard_of(topic);
  bool last = false;
  {
    std::lock_guard lock(shard.mutex);
    auto it = shard.topics.find(topic);
    if (it == shard.topics.end()) return;
    auto list = std::make_shared<List>(*it->second);
    const auto before = list->size();
    std::erase_if(*list, [&](const Entry& e) { return e.key == key; });
    if (list->size() == before) return;
    if (list->empty()) {
      shard.topics.erase(it);
      last = true;
    } else {
      it->second = std::move(list);
    }
  }
  if (last) bus_.remove_interest(topic);
}

std::shared_ptr<const Hub::List> Hub::list_of(const std::string& topic) const {
  Shard& shard = shard_of(topic);
  std::lock_guard lock(shard.mutex);
  auto it = shard.topics.find(topic);
  return it == shard.topics.end() ? nullptr : it->second;
}

// The one serialisation of an event: everything after the subscription
// header. Ids, event names and the JSON content type need no escaping.
std::shared_ptr<const std::string> Hub::frame_tail(const chat::BusEvent& event) {
  std::string tail;
  tail.reserve(event.payload.size() + 160);
  tail += "destination:";
  tail += destination_of_topic(event.topic);
  tail += "\nmessage-id:";
  tail += std::to_string(next_message_id_.fetch_add(1, std::memory_order_relaxed));
  tail += "\nevent:";
  tail += event.event;
  tail += "\ncontent-type:application/json\ncontent-length:";
  tail += std::to_string(event.payload.size());
  tail += "\n\n";
  tail += event.payload;
  tail += '\0';
  return std::make_shared<const std::string>(std::move(tail));
}

std::size_t Hub::deliver_all(std::span<const chat::BusEvent> events) {
  // Group the batch by topic, keeping each topic's order (a batch is
  // usually one room's messages).
  std::vector<Group> groups;
  std::size_t delivered = 0;
  for (const chat::BusEvent& event : events) {
    // Control, not content: the connections of a revoked session end.
    if (event.event == "revoke") {
      if (auto list = list_of(event.topic)) {
        for (const Entry& e : *list) e.sub.outbox->request_close();
        delivered += list->size();
      }
      continue;
    }
    if (event.event == "evict") {
      // Deliver what came before it first: the user still sees the event
      // of their own leaving, and nothing after.
      delivered += push_groups(groups);
      groups.clear();
      evict(event.topic, event.payload);
      continue;
    }
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return *g.topic == event.topic; });
    if (group == groups.end()) {
      auto list = list_of(event.topic);
      if (!list) continue;  // nobody here listens
      groups.push_back(Group{&event.topic, std::move(list), {}});
      group = groups.end() - 1;
    }
    group->tails.push_back(frame_tail(event));
  }
  return delivered + push_groups(groups);
}

std::size_t Hub::push_groups(const std::vector<Group>& groups) {
  std::size_t delivered = 0;
  for (const Group& g : groups) {
    for (const Entry& e : *g.list) {
      if (e.sub.outbox->push_all(e.sub.head, g.tails)) delivered += g.tails.size();
    }
  }
  return delivered;
}

void Hub::evict(const std::string& topic, const std::string& user_id) {
  std::vector<std::string> keys;
  if (auto list = list_of(topic)) {
    for (const Entry& e : *list) {
      if (e.sub.user_id == user_id) keys.push_back(e.key);
    }
  }
  for (const auto& key : keys) unsubscribe(topic, key);
}

std::size_t Hub::subscriber_count(const std::string& topic) const {
  Shard& shard = shard_of(topic);
  std::lock_guard lock(shard.mutex);
  auto it = shard.topics.find(topic);
  return it == shard.topics.end() ? 0 : it->second->size();
}

}  // namespace chattwo::stomp::broker
