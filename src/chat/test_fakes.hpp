#pragma once
// Fakes for the two ports tests must control: time and ids.
#include <atomic>
#include <string>

#include "chat/clock.hpp"

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

}  // namespace chattwo::chat::testing
