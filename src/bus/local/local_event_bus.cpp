#include "bus/local/local_event_bus.hpp"

namespace chattwo::bus::local {

void LocalEventBus::publish(chat::BusEvent event) {
  std::shared_ptr<const Handler> handler;
  {
    std::lock_guard lock(mutex_);
    handler = handler_;
  }
  if (!handler || !*handler) return;
  // One immutable event shared by every subscriber the broker fans out to.
  (*handler)(std::make_shared<const chat::BusEvent>(std::move(event)));
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
