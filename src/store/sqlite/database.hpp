#pragma once
// The SQLite file behind the embedded default: a small pool of connections
// in WAL mode (readers never wait for the writer), migrated at open.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

struct DatabaseSettings {
  std::string path;  // a file, or ":memory:" (tests; forces one connection)
  // One per worker thread, so a worker never waits for a connection.
  std::size_t connections = 4;
  // How long a writer waits for another's transaction (ms). Writes are short;
  // waiting this long means something is stuck, and the request fails.
  int busy_timeout_ms = 5000;
  // WAL checkpoints (see Checkpointer): from this many pages of WAL, off the
  // commit path; past the second, the WAL is made to start over.
  int checkpoint_pages = 4000;      // 16 MiB: a hot page is copied back once per 16 MiB, not per 4
  int wal_restart_pages = 16000;    // 64 MiB, as journal_size_limit
};

/// One SQLite connection with its cache of prepared statements. Used by one
/// thread at a time (whoever holds its Lease).
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// A statement for `sql`, prepared once per connection and reused: the
  /// stores' queries are a fixed set, and preparing costs more than running
  /// a point lookup. If the cached one is in use (a nested query with the
  /// same SQL), a one-off statement is prepared instead. Throws SqliteError.
  Statement prepare(std::string_view sql);
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_;
  struct Cached {
    sqlite3_stmt* stmt;
    bool in_use;
  };
  struct SqlHash : std::hash<std::string_view> {
    using is_transparent = void;
  };
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;  // found by string_view: no copy per prepare
};

/// Owns the connections. Thread-safe; every method may block.
class Database {
 public:
  /// A borrowed connection, returned to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(Database& db, Connection* conn, bool pooled = true) : db_(&db), conn_(conn), pooled_(pooled) {}
    Lease(Lease&& other) noexcept
        : db_(other.db_), conn_(std::exchange(other.conn_, nullptr)), pooled_(other.pooled_) {}
    Lease(const Lease&) = delete;
    ~Lease() { if (conn_ && pooled_) db_->give_back(conn_); }
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }
    sqlite3* get() const { return conn_->get(); }

   private:
    Database* db_;
    Connection* conn_;
    bool pooled_;  // false: the batch's own connection, borrowed on its thread
  };

  /// Opens (creating if needed) and migrates to the built-in schema.
  /// Throws std::runtime_error with a one-line reason on failure.
  explicit Database(const DatabaseSettings& settings, std::int64_t now_ms);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Waits for a free connection. Inside batch() on this thread: the
  /// batch's connection (reads then see the batch's writes).
  Lease acquire();

  /// Runs `fn` in one write transaction (BEGIN IMMEDIATE ... COMMIT); rolls
  /// back and rethrows if it throws. Concurrent writes are group-committed:
  /// `fn` may run on another writer's thread, inside a transaction shared
  /// with other writes (in its own savepoint); write() returns once that
  /// transaction is committed. `fn` must not acquire another connection.
  void write(const std::function<void(Connection&)>& fn);
  /// The same; `after_commit` (if set) runs after the commit, on the thread
  /// that committed, in commit order with all other writes' (and before the
  /// next group commits). Not run if this write or the commit failed;
  /// ignored for a write nested in a batch (the batch's own runs instead).
  void write(const std::function<void(Connection&)>& fn, const std::function<void()>& after_commit);

  /// write() for a step of a batch that makes no change before it can
  /// fail with a returned error (it checks first, then writes): inside a
  /// batch it runs without a savepoint of its own (two statements fewer per
  /// message); an exception from it then fails its whole batch job, as
  /// one from the job itself would. Outside a batch, exactly write().
  void write_unguarded(const std::function<void(Connection&)>& fn);

  /// Runs `fn` as one write: calls to write() that `fn` makes on this thread
  /// run at once inside this write's transaction, each in a savepoint of its
  /// own, and all commit together when `fn` returns (group-committed with
  /// other writers like any write). Throws what `fn` or the commit throws.
  void batch(const std::function<void()>& fn);
  /// The same with an after-commit step (see write()).
  void batch(const std::function<void()>& fn, const std::function<void()>& after_commit);

  /// Commits so far, and writes they carried (for metrics and benchmarks).
  std::uint64_t batches() const { return batches_.load(); }
  std::uint64_t batched_writes() const { return batched_writes_.load(); }
  /// Nanoseconds group-commit leaders spent running batches (their jobs,
  /// the commit and the after-commit steps): writes are serial, so this
  /// over wall time is how busy the one writer is.
  std::uint64_t batch_nanoseconds() const { return batch_ns_.load(); }
  /// WAL checkpoints done by the background checkpointer (0 for ":memory:").
  std::uint64_t checkpoints() const { return checkpointer_ ? checkpointer_->checkpoints() : 0; }
  std::uint64_t pages_checkpointed() const { return checkpointer_ ? checkpointer_->pages_copied() : 0; }
  std::uint64_t wal_restarts() const { return checkpointer_ ? checkpointer_->restarts() : 0; }

  /// True when a trivial query succeeds (for /readyz).
  bool ping();

 private:
  struct WriteJob {
    const std::function<void(Connection&)>* fn;
    const std::function<void()>* after_commit = nullptr;
    std::exception_ptr error = nullptr;
    bool done = false;
  };
  void give_back(Connection* conn);
  void run_batch(const std::vector<WriteJob*>& batch);

  std::mutex mutex_;
  // Group commit (see write()). SQLite has one writer at a time anyway;
  // contending writers would otherwise poll for its lock with the busy
  // handler's sleeps (with 32 senders the slowest send took over a second).
  std::mutex group_mutex_;
  std::condition_variable group_done_;
  std::vector<WriteJob*> pending_;
  bool leader_active_ = false;
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> batched_writes_{0};
  std::atomic<std::uint64_t> batch_ns_{0};
  // Declared before the connections: destroyed after them, its connection
  // is the last one closed (which folds the WAL back into the file).
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Connection> writer_;  // group commits only (null in memory: the pool's one connection)
  std::condition_variable available_;
  std::vector<Connection*> idle_;
  std::vector<std::unique_ptr<Connection>> all_;
};

}  // namespace chattwo::store::sqlite
