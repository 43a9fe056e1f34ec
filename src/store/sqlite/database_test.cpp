#include "store/sqlite/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>
#include <chrono>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace chattwo::store::sqlite;

TEST(Database, CachedStatementsAreReusedAndNeverShared) {
  Database db(DatabaseSettings{":memory:"}, 0);
  auto lease = db.acquire();
  const std::string sql = "SELECT value FROM json_each('[1,2,3]') ORDER BY value";
  {
    Statement outer = lease->prepare(sql);
    ASSERT_TRUE(outer.step());
    EXPECT_EQ(outer.integer(0), 1);
    // The same SQL while `outer` is mid-iteration gets its own statement.
    Statement inner = lease->prepare(sql);
    ASSERT_TRUE(inner.step());
    EXPECT_EQ(inner.integer(0), 1);
    ASSERT_TRUE(outer.step());
    EXPECT_EQ(outer.integer(0), 2);  // not reset by `inner`
  }
  Statement again = lease->prepare(sql);  // the cached one, reset and ready
  ASSERT_TRUE(again.step());
  EXPECT_EQ(again.integer(0), 1);
}

TEST(Database, FailedWriteRollsBack) {
  Database db(DatabaseSettings{":memory:"}, 0);
  EXPECT_THROW(db.write([](Connection& c) {
                 c.prepare("INSERT INTO users (id, name, created_at) VALUES ('u1', 'A', 0)").run();
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  auto lease = db.acquire();
  Statement q = lease->prepare("SELECT COUNT(*) FROM users");
  q.step();
  EXPECT_EQ(q.integer(0), 0);
}

TEST(Database, PingAnswers) {
  Database db(DatabaseSettings{":memory:"}, 0);
  EXPECT_TRUE(db.ping());
}

TEST(Database, ConcurrentWritesCommitTogetherAndFailAlone) {
  const auto dir = std::filesystem::temp_directory_path() / ("chattwo-db-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    Database db(DatabaseSettings{(dir / "t.db").string(), 8}, 0);
    std::vector<std::thread> threads;
    std::atomic<int> failures = 0;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 100; ++i) {
          try {
            db.write([&](Connection& c) {
              const std::string id = "u" + std::to_string(t) + "-" + std::to_string(i);
              auto q = c.prepare("INSERT INTO users (id, name, created_at) VALUES (?1, 'n', 0)");
              q.bind(1, id).run();
              if (i % 10 == 9) throw std::runtime_error("this one fails");  // after its insert
            });
          } catch (const std::runtime_error&) {
            ++failures;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 80);
    auto lease = db.acquire();
    Statement q = lease->prepare("SELECT COUNT(*) FROM users");
    q.step();
    EXPECT_EQ(q.integer(0), 720);  // each failed write undone alone, every other one kept
    EXPECT_EQ(db.batched_writes(), 800u);
    EXPECT_LE(db.batches(), 800u);
  }
  std::filesystem::remove_all(dir);
}

TEST(Database, BatchCommitsNestedWritesTogetherEachFailingAlone) {
  Database db(DatabaseSettings{":memory:"}, 0);
  int failed = 0;
  const auto before = db.batches();
  db.batch([&] {
    for (int i = 0; i < 5; ++i) {
      try {
        db.write([&](Connection& c) {
          auto q = c.prepare("INSERT INTO users (id, name, created_at) VALUES (?1, 'n', 0)");
          q.bind(1, "b" + std::to_string(i)).run();
          if (i == 2) throw std::runtime_error("only this one fails");
        });
      } catch (const std::runtime_error&) {
        ++failed;
      }
    }
  });
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(db.batches() - before, 1u);  // one commit for all five
  auto lease = db.acquire();
  Statement q = lease->prepare("SELECT COUNT(*) FROM users");
  q.step();
  EXPECT_EQ(q.integer(0), 4);
}

TEST(Database, WalIsCheckpointedOffTheCommitPath) {
  const auto dir = std::filesystem::temp_directory_path() / ("chattwo-ckpt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "t.db").string();
  {
    Database db(DatabaseSettings{path, 2}, 0);
    db.write([](Connection& c) { c.prepare("CREATE TABLE blobs (b BLOB NOT NULL)").run(); });
    // ~3,000 pages of WAL in 4 KiB writes: past the 1,000-page threshold thrice.
    for (int i = 0; i < 3000; ++i) {
      db.write([](Connection& c) { c.prepare("INSERT INTO blobs VALUES (zeroblob(4000))").run(); });
    }
    // The checkpointer runs on its own thread: wait for it (no time limit
    // beyond the test runner's; this is about whether, not how fast).
    // (A cap only so that a broken checkpointer fails instead of hanging.)
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (db.pages_checkpointed() < 1000 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GE(db.pages_checkpointed(), 1000u);
    auto lease = db.acquire();
    Statement count = lease->prepare("SELECT COUNT(*) FROM blobs");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.integer(0), 3000);
  }
  // Closed cleanly: the WAL was folded into the file and removed.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  {
    Database reopened(DatabaseSettings{path, 1}, 0);
    auto lease = reopened.acquire();
    Statement count = lease->prepare("SELECT COUNT(*) FROM blobs");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.integer(0), 3000);
  }
  std::filesystem::remove_all(dir);
}

// Under a steady load PASSIVE checkpoints alone never let the WAL start
// over; a reader holding an old snapshot stands in for that load here.
TEST(Database, WalStartsOverOnceItIsPastTheRestartSize) {
  const auto dir = std::filesystem::temp_directory_path() / ("chattwo-restart-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "t.db").string();
  {
    DatabaseSettings settings{path, 2};
    settings.checkpoint_pages = 50;
    settings.wal_restart_pages = 200;
    Database db(settings, 0);
    db.write([](Connection& c) { c.prepare("CREATE TABLE blobs (b BLOB NOT NULL)").run(); });
    {
      auto reader = db.acquire();
      reader->prepare("BEGIN").run();
      Statement pin = reader->prepare("SELECT COUNT(*) FROM blobs");
      pin.step();  // the snapshot is taken: no checkpoint may pass it
      for (int i = 0; i < 300; ++i) {
        db.write([](Connection& c) { c.prepare("INSERT INTO blobs VALUES (zeroblob(3000))").run(); });
      }
      EXPECT_EQ(db.wal_restarts(), 0u);  // a RESTART can't finish past the reader
      pin.run();
      reader->prepare("COMMIT").run();
    }
    // Reader gone: the next checkpoint copies the rest and restarts the WAL.
    // (Writes go on until it has, with a cap so a broken one fails.)
    for (int i = 0; i < 20000 && db.wal_restarts() == 0; ++i) {
      db.write([](Connection& c) { c.prepare("INSERT INTO blobs VALUES (zeroblob(3000))").run(); });
      if (i % 100 == 99) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GE(db.wal_restarts(), 1u);
  }
  std::filesystem::remove_all(dir);
}

TEST(Database, AfterCommitStepsRunInCommitOrder) {
  const auto dir = std::filesystem::temp_directory_path() / ("chattwo-order-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    Database db(DatabaseSettings{(dir / "t.db").string(), 8}, 0);
    db.write([](Connection& c) { c.prepare("CREATE TABLE counter (n INTEGER NOT NULL)").run(); });
    db.write([](Connection& c) { c.prepare("INSERT INTO counter VALUES (0)").run(); });
    // Each write takes the next number; its after-commit step records it.
    // Whatever the threads' timing, the record must come out ascending.
    std::mutex mutex;
    std::vector<std::int64_t> published;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          std::int64_t taken = 0;
          db.batch([&] {
            db.write([&](Connection& c) {
              Statement q = c.prepare("UPDATE counter SET n = n + 1 RETURNING n");
              q.step();
              taken = q.integer(0);
              q.run();
            });
          },
                   [&] {
                     std::lock_guard lock(mutex);
                     published.push_back(taken);
                   });
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(published.size(), 400u);
    for (std::size_t i = 0; i < published.size(); ++i) EXPECT_EQ(published[i], static_cast<std::int64_t>(i + 1));
  }
  std::filesystem::remove_all(dir);
}
