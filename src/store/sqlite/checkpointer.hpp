#pragma once
// Moves WAL pages back into the database file on a thread of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL
// past 1,000 pages, on the committing thread: with group commit that thread
// is the leader, and every writer queued behind it waits for a copy of ~4 MB
// (the tail of send latency). Here commits only note the WAL's size (the WAL
// hook) and wake this thread, which checkpoints PASSIVE on its own
// connection: it never waits for readers or blocks the writer.
//
// PASSIVE alone never lets the WAL start over while writes keep coming (it
// starts over only when a writer finds all of it copied, and the next
// commit always lands first): under a steady load the file grew by 500 MB
// in 15 s. So when the WAL is past `restart_pages`, a RESTART checkpoint
// follows the PASSIVE one: it holds the writer back only while it copies
// the few pages committed since, then the next commit starts the WAL over.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace chattwo::store::sqlite {

class Checkpointer {
 public:
  /// Opens its own connection to `path` (a file, not ":memory:").
  Checkpointer(const std::string& path, int wal_pages_threshold, int restart_pages);
  ~Checkpointer();  // stops the thread (a checkpoint in progress finishes)
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Installs the WAL hook on a pool connection (replacing SQLite's
  /// auto-checkpoint on it).
  void watch(sqlite3* connection);

  /// Checkpoints that copied pages, and how many pages they copied;
  /// RESTART checkpoints among them.
  std::uint64_t checkpoints() const { return checkpoints_.load(); }
  std::uint64_t restarts() const { return restarts_.load(); }
  std::uint64_t pages_copied() const { return pages_copied_.load(); }

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();

  sqlite3* db_ = nullptr;
  const int threshold_;
  const int restart_pages_;
  std::mutex mutex_;
  std::condition_variable wanted_;
  bool requested_ = false;
  std::atomic<int> requested_at_pages_{0};  // WAL size at the last request (0: none since it started over)
  bool stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> pages_copied_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::thread thread_;
};

}  // namespace chattwo::store::sqlite
