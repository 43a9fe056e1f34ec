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
  virtual void run(const std::function<void()>& fn) = 0;
};

}  // namespace chattwo::chat
