#include "bus/local/local_event_bus.hpp"

namespace chattwo::bus::local {

std::shared_ptr<const LocalEventBus::Handler> LocalEventBus::handler() const {
  std::lock_guard lock(mutex_);
  return handler_;
}

void LocalEventBus::publish(chat::BusEvent event) {
  if (auto h = handler(); h && *h) (*h)(std::span<const chat::BusEvent>(&event, 1));
}

void LocalEventBus::publish_all(std::vector<chat::BusEvent> events) {
  if (events.empty()) return;
  if (auto h = handler(); h && *h) (*h)(std::span<const chat::BusEvent>(events));
}

void LocalEventBus::set_handler(Handler handler) {
  auto shared = std::make_shared<const Handler>(std::move(handler));
  std::lock_guard lock(mutex_);
  handler_ = std::move(shared);
}

void LocalEventBus::add_interest(const std::string& topic) {
  std::lock_guard lock(mutex_);
  ++interest_[topic];
}

void LocalEventBus::remove_interest(const std::string& topic) {
  std::lock_guard lock(mutex_);
  auto it = interest_.find(topic);
  if (it == interest_.end()) return;
  if (--it->second == 0) interest_.erase(it);
}

std::size_t LocalEventBus::interest(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  auto it = interest_.find(topic);
  return it == interest_.end() ? 0 : it->second;
}

std::size_t LocalEventBus::topics_of_interest() const {
  std::lock_guard lock(mutex_);
  return interest_.size();
}

}  // namespace chattwo::bus::local
