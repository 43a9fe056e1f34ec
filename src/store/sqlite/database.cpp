#include "store/sqlite/database.hpp"

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
       "PRAGMA temp_store = MEMORY;");
  return conn;
}

}  // namespace

Database::Database(const DatabaseSettings& settings, std::int64_t now_ms) {
  const std::size_t count = settings.path == ":memory:" ? 1 : std::max<std::size_t>(1, settings.connections);
  try {
    for (std::size_t i = 0; i < count; ++i) all_.push_back(open_connection(settings));
    migrate(all_.front(), built_in_migrations(), now_ms);
  } catch (const std::exception& e) {
    for (sqlite3* c : all_) sqlite3_close(c);
    throw std::runtime_error(e.what());
  }
  idle_ = all_;
}

Database::~Database() {
  for (sqlite3* c : all_) sqlite3_close(c);
}

Database::Lease Database::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  sqlite3* conn = idle_.back();
  idle_.pop_back();
  return Lease(*this, conn);
}

void Database::give_back(sqlite3* conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
  }
  available_.notify_one();
}

void Database::write(const std::function<void(sqlite3*)>& fn) {
  Lease lease = acquire();
  sqlite3* conn = lease.get();
  exec(conn, "BEGIN IMMEDIATE");
  try {
    fn(conn);
    exec(conn, "COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(conn)) exec(conn, "ROLLBACK");
    throw;
  }
}

bool Database::ping() {
  try {
    Lease lease = acquire();
    Statement q(lease.get(), "SELECT 1");
    return q.step();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace chattwo::store::sqlite
