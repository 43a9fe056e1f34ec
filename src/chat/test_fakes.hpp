#pragma once
// Fakes for the two ports tests must control: time and ids; and the users
// most domain tests start from.
#include <atomic>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "chat/clock.hpp"
#include "chat/user_store.hpp"

namespace chattwo::chat::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'795'556'406'123) : now_(start_ms) {}
  std::int64_t now_ms() override { return now_; }
  void advance_ms(std::int64_t ms) { now_ += ms; }

 private:
  std::int64_t now_;
};

/// "id1", "id2", ...; thread-safe, for tests with concurrent writers.
class SequentialIds final : public IdGenerator {
 public:
  std::string next_id() override { return "id" + std::to_string(++n_); }

 private:
  std::atomic<int> n_ = 0;
};

/// Stores a user per id, named as the id, with email "<id>@example.test".
inline void add_users(UserStore& users, Clock& clock, std::initializer_list<const char*> ids) {
  for (const char* id : ids) {
    User u;
    u.id = id;
    u.email = std::string(id) + "@example.test";
    u.name = id;
    u.created_at_ms = clock.now_ms();
    if (!users.insert(u, "")) throw std::runtime_error(std::string("test setup: cannot add user ") + id);
  }
}

}  // namespace chattwo::chat::testing
