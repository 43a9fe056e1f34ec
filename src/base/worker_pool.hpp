#pragma once
// A fixed set of threads running blocking work (SQLite, password hashing,
// later libcurl and the MySQL C API) so that network threads never block.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/unique_function.hpp"

namespace chattwo::base {

/// Runs submitted jobs on `threads` threads. The queue is bounded: when
/// `max_queued` jobs wait, try_submit refuses (the caller answers 503) rather
/// than letting latency and memory grow without bound.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t max_queued, std::string name);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`; false when the queue is full or the pool is stopping.
  /// A job must not throw (wrap it); one that does terminates the process.
  bool try_submit(UniqueFunction job);

  /// Joins the threads after the running jobs end. Queued jobs run first
  /// unless `drop_queued`, which destroys them unrun (for shutdown, when
  /// nobody waits for their results any more). Idempotent.
  void stop(bool drop_queued = false);

  std::size_t queued() const;
  std::size_t thread_count() const { return threads_.size(); }

 private:
  void run();

  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<UniqueFunction> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace chattwo::base
