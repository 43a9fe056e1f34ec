#include "store/sqlite/checkpointer.hpp"

#include <stdexcept>

namespace chattwo::store::sqlite {

Checkpointer::Checkpointer(const std::string& path, int wal_pages_threshold, int restart_pages)
    : threshold_(wal_pages_threshold), restart_pages_(restart_pages) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open database " + path + " for checkpoints: " + why);
  }
  // A connection knows the file is in WAL mode only once it has read it;
  // until then a checkpoint call does nothing (and says OK).
  char* error = nullptr;
  if (sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    throw std::runtime_error("cannot read database " + path + " for checkpoints: " + why);
  }
  // RESTART waits (through this handler) for the writer's lock and then,
  // holding it, for readers still on the old WAL: both are short (a batch,
  // a page of history). It gives up after this long rather than stall the
  // writers behind a slow reader, and tries again on the next request.
  sqlite3_busy_timeout(db_, 100);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
  sqlite3_close(db_);
}

void Checkpointer::watch(sqlite3* connection) { sqlite3_wal_hook(connection, &Checkpointer::on_commit, this); }

// Called by SQLite on the committing thread, after the commit: only a flag
// and a wake-up here.
int Checkpointer::on_commit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (wal_pages < c->threshold_) {
    c->requested_at_pages_.store(0, std::memory_order_relaxed);  // the WAL started over
    return SQLITE_OK;
  }
  // Past the threshold, once per further quarter of it: while readers keep
  // the WAL from starting over, a checkpoint per commit (as SQLite's own
  // would do) costs an fsync per commit for a few pages each.
  const int last = c->requested_at_pages_.load(std::memory_order_relaxed);
  if (last != 0 && wal_pages < last + c->threshold_ / 4) return SQLITE_OK;
  c->requested_at_pages_.store(wal_pages, std::memory_order_relaxed);
  {
    std::lock_guard lock(c->mutex_);
    c->requested_ = true;
  }
  c->wanted_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, waits for nobody. Once all
    // of the WAL is copied, the next writer starts it again from the top.
    // A busy or failed attempt is simply retried after the next commits.
    int wal_pages = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied) == SQLITE_OK &&
        copied > 0) {
      checkpoints_.fetch_add(1, std::memory_order_relaxed);
      pages_copied_.fetch_add(static_cast<std::uint64_t>(copied), std::memory_order_relaxed);
    }
    if (wal_pages > restart_pages_) {
      // Most of it is copied now: the rest is quick, and the WAL starts over.
      int restart_copied = 0;
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, &wal_pages, &restart_copied) == SQLITE_OK) {
        restarts_.fetch_add(1, std::memory_order_relaxed);
        pages_copied_.fetch_add(static_cast<std::uint64_t>(restart_copied), std::memory_order_relaxed);
      }
    }
    lock.lock();
  }
}

}  // namespace chattwo::store::sqlite
