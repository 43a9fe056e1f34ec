#pragma once
// The SQLite file behind the embedded default: a small pool of connections
// in WAL mode (readers never wait for the writer), migrated at open.
#include <sqlite3.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace chattwo::store::sqlite {

struct DatabaseSettings {
  std::string path;  // a file, or ":memory:" (tests; forces one connection)
  // One per worker thread, so a worker never waits for a connection.
  std::size_t connections = 4;
  // How long a writer waits for another's transaction (ms). Writes are short;
  // waiting this long means something is stuck, and the request fails.
  int busy_timeout_ms = 5000;
};

/// Owns the connections. Thread-safe; every method may block.
class Database {
 public:
  /// A borrowed connection, returned to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(Database& db, sqlite3* conn) : db_(&db), conn_(conn) {}
    Lease(Lease&& other) noexcept : db_(other.db_), conn_(std::exchange(other.conn_, nullptr)) {}
    Lease(const Lease&) = delete;
    ~Lease() { if (conn_) db_->give_back(conn_); }
    sqlite3* get() const { return conn_; }

   private:
    Database* db_;
    sqlite3* conn_;
  };

  /// Opens (creating if needed) and migrates to the built-in schema.
  /// Throws std::runtime_error with a one-line reason on failure.
  explicit Database(const DatabaseSettings& settings, std::int64_t now_ms);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Waits for a free connection.
  Lease acquire();

  /// Runs `fn` in one write transaction (BEGIN IMMEDIATE ... COMMIT); rolls
  /// back and rethrows if it throws.
  void write(const std::function<void(sqlite3*)>& fn);

  /// True when a trivial query succeeds (for /readyz).
  bool ping();

 private:
  void give_back(sqlite3* conn);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<sqlite3*> idle_;
  std::vector<sqlite3*> all_;
};

}  // namespace chattwo::store::sqlite
