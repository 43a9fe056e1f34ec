#pragma once
// A connection's outbound queue: frames waiting to be written. Fan-out
// pushes from any thread; the connection's writer takes everything queued
// at once and writes it as one batch (coalescing: many frames, few writes).
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chattwo::stomp::broker {

/// One queued frame: a small per-connection head (e.g. "MESSAGE\n
/// subscription:3\n") and a tail shared by every subscriber of the event,
/// serialised once.
struct OutFrame {
  std::shared_ptr<const std::string> head;
  std::shared_ptr<const std::string> tail;  // may be null
  std::size_t size() const { return (head ? head->size() : 0) + (tail ? tail->size() : 0); }
};

/// Bounded in bytes. A consumer that does not read lets the queue fill; the
/// push that would pass the bound is refused and the outbox turns
/// `overflowed` for good: the connection is then closed (it catches up with
/// ?after= when it comes back). Memory never grows past the bound, and one
/// slow phone never holds up a room (Redis's client-output-buffer-limit).
class Outbox {
 public:
  /// `wake` is called (from the pushing thread) when the queue goes from
  /// empty to non-empty, or overflows: it must only schedule the writer,
  /// never block.
  Outbox(std::size_t max_bytes, std::function<void()> wake) : max_bytes_(max_bytes), wake_(std::move(wake)) {}

  /// False when refused: overflowed or closed.
  bool push(OutFrame frame);
  /// Queues one frame per tail, all with `head`, at once (one wake-up):
  /// a subscriber's share of a batch of events. All or nothing.
  bool push_all(const std::shared_ptr<const std::string>& head,
                const std::vector<std::shared_ptr<const std::string>>& tails);

  /// Everything queued, in order (empty when nothing is).
  std::vector<OutFrame> take_all();
  /// The same into `out` (which must be empty), swapping vectors so that
  /// the writer's and the queue's capacity are reused, not reallocated.
  void take_all(std::vector<OutFrame>& out);
  /// Frees the queue's spare capacity if it is empty (an idle connection).
  void release_idle_capacity();

  bool overflowed() const;
  /// Asks the connection to end (its session was revoked). Thread-safe.
  void request_close();
  bool close_requested() const;
  /// Stops accepting frames (the connection is going away).
  void close();
  std::size_t queued_bytes() const;

 private:
  const std::size_t max_bytes_;
  const std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::vector<OutFrame> frames_;
  std::size_t bytes_ = 0;
  bool overflowed_ = false;
  bool closed_ = false;
  bool close_requested_ = false;
};

}  // namespace chattwo::stomp::broker
