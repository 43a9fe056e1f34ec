#pragma once
// Who on this node listens to what, and the fan-out of bus events to them.
#include <array>
#include <span>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat/event_bus.hpp"
#include "stomp/broker/outbox.hpp"

namespace chattwo::stomp::broker {

/// One SUBSCRIBE of one connection: where its frames go, and the frame head
/// naming its subscription id (escaped for its STOMP version, made once).
struct Subscription {
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<const std::string> head;  // "MESSAGE\nsubscription:<id>\n"
  std::string user_id;                      // whose it is (an "evict" event names them)
};

/// The destination a bus topic is delivered to: "rooms.R" -> "/topic/rooms.R",
/// "users.U" -> "/user/queue/notifications". ("sessions.S" carries only
/// "revoke" events, which close that sign-in's connections instead; an
/// "evict" event on a room topic, payload a user id, ends that user's
/// subscriptions to it: they left the room.)
std::string destination_of_topic(const std::string& topic);

/// Maps bus topics to local subscriptions and delivers events to them. Each
/// event becomes one immutable frame tail, shared by every subscriber's
/// queue. No global lock: topics are spread over shards, and delivery reads
/// a topic's subscriber list through one shared_ptr copy, without holding
/// any lock while it pushes.
class Hub {
 public:
  /// Registers with `bus` as its handler, and tells it which topics this
  /// node needs as local subscribers come and go.
  explicit Hub(chat::EventBus& bus);
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  /// `key` identifies the subscription across the node (connection id and
  /// subscription id); subscribing the same key twice replaces it.
  void subscribe(const std::string& topic, const std::string& key, Subscription sub);
  void unsubscribe(const std::string& topic, const std::string& key);

  /// Serialises `event` once and queues it for every local subscriber of its
  /// topic. Called by the bus, from any thread. Returns how many got it.
  std::size_t deliver(const chat::BusEvent& event) { return deliver_all(std::span(&event, 1)); }
  /// The same for a batch, in order: each subscriber gets its share of the
  /// batch in one push (one wake-up, one write). Returns frames queued.
  std::size_t deliver_all(std::span<const chat::BusEvent> events);

  std::size_t subscriber_count(const std::string& topic) const;

 private:
  struct Entry {
    std::string key;
    Subscription sub;
  };
  using List = std::vector<Entry>;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const List>> topics;
  };
  static constexpr std::size_t kShards = 64;  // enough that fan-out threads rarely meet
  struct Group {  // one topic's share of a batch
    const std::string* topic;
    std::shared_ptr<const List> list;
    std::vector<std::shared_ptr<const std::string>> tails;
  };
  std::size_t push_groups(const std::vector<Group>& groups);
  void evict(const std::string& topic, const std::string& user_id);
  Shard& shard_of(const std::string& topic) const;
  std::shared_ptr<const List> list_of(const std::string& topic) const;
  std::shared_ptr<const std::string> frame_tail(const chat::BusEvent& event);

  chat::EventBus& bus_;
  mutable std::array<Shard, kShards> shards_;
  std::atomic<std::uint64_t> next_message_id_{1};
};

}  // namespace chattwo::stomp::broker
