#pragma once
#include <functional>

namespace chattwo::chat {

/// Port: makes the writes of several service calls commit together. A
/// connection that pipelines 32 SENDs has them stored in one transaction
/// instead of 32, in their order. Blocks; call from a worker thread.
class WriteBatch {
 public:
  virtual ~WriteBatch() = default;
  /// Runs `fn`; every store write it makes on this thread joins one
  /// transaction, committed once when `fn` returns (each write still fails
  /// or succeeds on its own). Returns after the commit; throws if the
  /// commit fails, in which case none of the writes happened.
  void run(const std::function<void()>& fn) { run(fn, {}); }

  /// The same, and `after_commit` (if set) runs once the batch is committed,
  /// in commit order with every other batch's: events published there
  /// reach the bus in the order their writes were committed, so a room's
  /// messages go out in seq order however many connections send at once.
  /// It must be quick and must not write (it runs while the next commit
  /// waits); it is not run when the commit fails.
  virtual void run(const std::function<void()>& fn, const std::function<void()>& after_commit) = 0;
};

}  // namespace chattwo::chat
