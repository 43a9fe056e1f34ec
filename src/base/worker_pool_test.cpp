#include "base/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

using chattwo::base::WorkerPool;

TEST(WorkerPool, RunsJobsAndDrainsOnStop) {
  WorkerPool pool(2, 100, "test");
  std::atomic<int> done = 0;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(pool.try_submit([&] { ++done; }));
  pool.stop();
  EXPECT_EQ(done.load(), 50);
  EXPECT_FALSE(pool.try_submit([] {}));
}

TEST(WorkerPool, RefusesWhenQueueIsFull) {
  WorkerPool pool(1, 2, "test");
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.try_submit([&, gate] { started.set_value(); gate.wait(); }));
  started.get_future().wait();  // the only thread is now busy
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_FALSE(pool.try_submit([] {}));  // bound of 2 reached
  release.set_value();
}

TEST(WorkerPool, StopCanDropQueuedJobs) {
  WorkerPool pool(1, 100, "test");
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran = 0;
  ASSERT_TRUE(pool.try_submit([&, gate] { started.set_value(); gate.wait(); ++ran; }));
  started.get_future().wait();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.try_submit([&] { ++ran; }));
  std::thread stopper([&] { pool.stop(/*drop_queued=*/true); });
  // The only thread is blocked, so the queue can only empty by being dropped.
  while (pool.queued() != 0) std::this_thread::yield();
  release.set_value();
  stopper.join();
  EXPECT_EQ(ran.load(), 1);  // only the job that was running
}
