#include "stomp/broker/hub.hpp"

#include <functional>

namespace chattwo::stomp::broker {

std::string destination_of_topic(const std::string& topic) {
  if (topic.starts_with("users.")) return "/user/queue/notifications";
  return "/topic/" + topic;
}

Hub::Hub(chat::EventBus& bus) : bus_(bus) {
  bus_.set_handler([this](std::shared_ptr<const chat::BusEvent> e) { deliver(*e); });
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

std::size_t Hub::deliver(const chat::BusEvent& event) {
  std::shared_ptr<const List> list;
  {
    Shard& shard = shard_of(event.topic);
    std::lock_guard lock(shard.mutex);
    auto it = shard.topics.find(event.topic);
    if (it == shard.topics.end()) return 0;
    list = it->second;
  }
  // Control, not content: the connections of a revoked session end.
  if (event.event == "revoke") {
    for (const Entry& e : *list) e.sub.outbox->request_close();
    return list->size();
  }

  // The one serialisation of this event: everything after the subscription
  // header. Ids, event names and the JSON content type need no escaping.
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
  auto shared_tail = std::make_shared<const std::string>(std::move(tail));

  std::size_t delivered = 0;
  for (const Entry& e : *list) delivered += e.sub.outbox->push(OutFrame{e.sub.head, shared_tail});
  return delivered;
}

std::size_t Hub::subscriber_count(const std::string& topic) const {
  Shard& shard = shard_of(topic);
  std::lock_guard lock(shard.mutex);
  auto it = shard.topics.find(topic);
  return it == shard.topics.end() ? 0 : it->second->size();
}

}  // namespace chattwo::stomp::broker
