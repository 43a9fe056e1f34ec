#include "store/sqlite/database.hpp"

#include <chrono>

#include <algorithm>
#include <stdexcept>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {
namespace {

sqlite3* open_connection(const DatabaseSettings& settings) {
  sqlite3* conn = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(settings.path.c_str(), &conn, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
    sqlite3_close(conn);
    throw std::runtime_error("cannot open database " + settings.path + ": " + why);
  }
  sqlite3_busy_timeout(conn, settings.busy_timeout_ms);
  sqlite3_extended_result_codes(conn, 1);
  // WAL: readers and one writer at once. synchronous=NORMAL in WAL mode
  // loses nothing committed when the process crashes (only on power loss
  // may the last transactions roll back), which is API.md's promise.
  exec(conn,
       "PRAGMA journal_mode = WAL;"
       "PRAGMA synchronous = NORMAL;"
       "PRAGMA foreign_keys = ON;"
       "PRAGMA temp_store = MEMORY;"
       // Once fully checkpointed, the WAL file is cut back to this size
       // rather than keeping its high-water mark.
       "PRAGMA journal_size_limit = 67108864;");
  return conn;
}

}  // namespace

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && it->second.in_use) return Statement(db_, sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) throw SqliteError(sqlite3_extended_errcode(db_), std::string("sqlite: ") + sqlite3_errmsg(db_));
    it = cache_.emplace(std::string(sql), Cached{stmt, false}).first;
  }
  it->second.in_use = true;
  return Statement(db_, it->second.stmt, &it->second.in_use);
}

Database::Database(const DatabaseSettings& settings, std::int64_t now_ms) {
  const std::size_t count = settings.path == ":memory:" ? 1 : std::max<std::size_t>(1, settings.connections);
  for (std::size_t i = 0; i < count; ++i) all_.push_back(std::make_unique<Connection>(open_connection(settings)));
  migrate(all_.front()->get(), built_in_migrations(), now_ms);
  if (settings.path != ":memory:") {
    // Checkpoints off the commit path, by default from 4,000 pages (16 MiB)
    // of WAL: four times SQLite's default, so that a page rewritten by many
    // commits (a busy room's index leaf) is copied back once per 16 MiB, not
    // per 4 (a third less writer time per message in a send benchmark).
    checkpointer_ = std::make_unique<Checkpointer>(settings.path, settings.checkpoint_pages, settings.wal_restart_pages);
    for (auto& c : all_) checkpointer_->watch(c->get());
  }
  // The writer: one connection of its own on a file (SQLite has one writer
  // at a time anyway), so its page cache stays warm — a connection whose
  // file another connection wrote drops its whole cache on its next
  // transaction. In memory there is only the one connection to share.
  if (settings.path != ":memory:") {
    writer_ = std::make_unique<Connection>(open_connection(settings));
    exec(writer_->get(), "PRAGMA cache_size = -16384");  // 16 MiB: the hot index pages of busy rooms
    checkpointer_->watch(writer_->get());
  }
  for (auto& c : all_) idle_.push_back(c.get());
}

Database::~Database() = default;

namespace {
// The connection of the batch() running on this thread, if any: writes made
// inside it join its transaction instead of queueing behind it.
thread_local Connection* current_batch = nullptr;
}  // namespace

Database::Lease Database::acquire() {
  if (current_batch) return Lease(*this, current_batch, /*pooled=*/false);
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  Connection* conn = idle_.back();
  idle_.pop_back();
  return Lease(*this, conn);
}

void Database::give_back(Connection* conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
  }
  available_.notify_one();
}

// Group commit, leader/follower style: every writer queues its job; whoever
// finds no batch running becomes the leader, takes all that is queued, runs
// it in ONE transaction (each job in its own savepoint, so one job's failure
// undoes only that job), commits once, and wakes the others. Under load a
// commit (and its WAL append) serves many writes; alone, a writer commits at
// once. No job returns before the commit that made it durable.
void Database::batch(const std::function<void()>& fn) { batch(fn, {}); }

void Database::batch(const std::function<void()>& fn, const std::function<void()>& after_commit) {
  if (current_batch) {  // already inside one: just run
    fn();
    return;
  }
  write([&](Connection& conn) {
    current_batch = &conn;
    try {
      fn();
    } catch (...) {
      current_batch = nullptr;
      throw;
    }
    current_batch = nullptr;
  }, after_commit);
}

void Database::write(const std::function<void(Connection&)>& fn) { write(fn, {}); }

void Database::write_unguarded(const std::function<void(Connection&)>& fn) {
  if (Connection* conn = current_batch) {
    fn(*conn);
    return;
  }
  write(fn, {});
}

void Database::write(const std::function<void(Connection&)>& fn, const std::function<void()>& after_commit) {
  if (Connection* conn = current_batch) {
    // Inside a batch on this thread: a savepoint in its transaction.
    conn->prepare("SAVEPOINT nested").run();
    try {
      fn(*conn);
      conn->prepare("RELEASE nested").run();
    } catch (...) {
      conn->prepare("ROLLBACK TO nested").run();
      conn->prepare("RELEASE nested").run();
      throw;
    }
    return;
  }
  WriteJob job{&fn, after_commit ? &after_commit : nullptr};
  std::unique_lock lock(group_mutex_);
  pending_.push_back(&job);
  while (!job.done) {
    if (leader_active_) {
      group_done_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<WriteJob*> batch;
    batch.swap(pending_);
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    run_batch(batch);
    batch_ns_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count(),
                        std::memory_order_relaxed);
    lock.lock();
    for (WriteJob* j : batch) j->done = true;
    leader_active_ = false;
    group_done_.notify_all();
  }
  if (job.error) std::rethrow_exception(job.error);
}

void Database::run_batch(const std::vector<WriteJob*>& batch) {
  // The connection is the leader's only: a queued writer holds none.
  Lease lease = writer_ ? Lease(*this, writer_.get(), /*pooled=*/false) : acquire();
  Connection& conn = *lease;
  try {
    conn.prepare("BEGIN IMMEDIATE").run();
    for (WriteJob* job : batch) {
      conn.prepare("SAVEPOINT job").run();
      try {
        (*job->fn)(conn);
        conn.prepare("RELEASE job").run();
      } catch (...) {
        job->error = std::current_exception();
        conn.prepare("ROLLBACK TO job").run();
        conn.prepare("RELEASE job").run();
      }
    }
    conn.prepare("COMMIT").run();
    batches_.fetch_add(1, std::memory_order_relaxed);
    batched_writes_.fetch_add(batch.size(), std::memory_order_relaxed);
    // Still the leader: the next group can't commit before these ran, so
    // what they publish keeps commit order (a room's seq order).
    for (WriteJob* job : batch) {
      if (job->after_commit && !job->error) {
        try {
          (*job->after_commit)();
        } catch (...) {  // committed is committed; the caller's publish failing can't undo it
        }
      }
    }
  } catch (...) {
    // BEGIN or COMMIT failed (disk full, I/O error): nothing of the batch is
    // durable, so every job fails.
    if (!sqlite3_get_autocommit(lease.get())) exec(lease.get(), "ROLLBACK");
    for (WriteJob* job : batch) {
      if (!job->error) job->error = std::current_exception();
    }
  }
}

bool Database::ping() {
  try {
    Lease lease = acquire();
    return lease->prepare("SELECT 1").step();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace chattwo::store::sqlite
