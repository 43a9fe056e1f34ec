#pragma once
// Port: how room and user events reach every node's subscribers. In one
// process: bus/local. Across nodes: bus/redis (Redis Pub/Sub), later.
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace chattwo::chat {

/// One event for one topic, already serialised: the payload is what every
/// subscriber receives (JSON, made once by api/), so no node serialises it
/// again. Topics: "rooms.<roomId>" and "users.<userId>".
struct BusEvent {
  std::string topic;
  std::string event;    // "message", "read", "member", "notification", "room", "revoke"
  std::string payload;  // the body of the MESSAGE frame
};

/// Delivery is at most once and in publish order per topic (per publisher).
/// A node asks only for the topics its local subscribers need: interest is
/// counted, so the Redis adapter subscribes on the first and unsubscribes
/// after the last.
class EventBus {
 public:
  /// Receives events in publish order: one, or a batch published together.
  using Handler = std::function<void(std::span<const BusEvent> events)>;
  virtual ~EventBus() = default;

  /// Sends `event` to every node interested in its topic, this one included.
  /// Never blocks on the network: an adapter queues (bounded) and drops with
  /// a metric when it must.
  virtual void publish(BusEvent event) = 0;

  /// The events of one committed batch, in order: the same as publishing
  /// each, except that an adapter may carry them together. The broker then
  /// queues each subscriber's share at once, and it goes out in one write
  /// (as a group commit serves many SENDs, a group publish serves them on).
  virtual void publish_all(std::vector<BusEvent> events) {
    for (auto& e : events) publish(std::move(e));
  }

  /// Where this node's events go (the broker). Set once, before publish.
  virtual void set_handler(Handler handler) = 0;
  virtual void add_interest(const std::string& topic) = 0;
  virtual void remove_interest(const std::string& topic) = 0;
};

}  // namespace chattwo::chat
