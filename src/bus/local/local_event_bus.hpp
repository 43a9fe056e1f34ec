#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "chat/event_bus.hpp"

namespace chattwo::bus::local {

/// The EventBus of one process (the embedded default): publish hands the
/// event to this node's handler at once, on the publishing thread, so
/// events from one publisher arrive in the order published. Every event is
/// delivered, whatever the interest: interest is only counted (the broker's
/// view of which topics it serves), as the Redis adapter counts it to
/// (un)subscribe. Thread-safe.
class LocalEventBus final : public chat::EventBus {
 public:
  /// Calls the handler synchronously (it must not block for long: the
  /// caller is a storage worker). Without a handler the event is dropped.
  void publish(chat::BusEvent event) override;
  /// One handler call for the whole batch.
  void publish_all(std::vector<chat::BusEvent> events) override;
  void set_handler(Handler handler) override;
  void add_interest(const std::string& topic) override;
  /// Removing more interest than was added is a caller's bug; the count
  /// stays at zero.
  void remove_interest(const std::string& topic) override;

  /// How many add_interest calls for `topic` are not yet matched by a remove.
  std::size_t interest(const std::string& topic) const;
  /// The number of topics with any interest.
  std::size_t topics_of_interest() const;

 private:
  std::shared_ptr<const Handler> handler() const;

  mutable std::mutex mutex_;
  // Copied under the lock and called outside it, so a handler may publish
  // or change interest without deadlocking, and publishers never queue
  // behind one another's fan-out.
  std::shared_ptr<const Handler> handler_;
  std::map<std::string, std::size_t, std::less<>> interest_;
};

}  // namespace chattwo::bus::local
