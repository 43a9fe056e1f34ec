#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "base/ulid.hpp"

namespace chattwo::chat {

/// Port: the time, so that tests can move it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() = 0;  // Unix epoch, milliseconds
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

/// Port: new entity ids, so that tests can make them predictable.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string next_id() = 0;
};

/// Time-ordered ids (see base/ulid.hpp).
class UlidGenerator final : public IdGenerator {
 public:
  explicit UlidGenerator(Clock& clock) : clock_(clock) {}
  std::string next_id() override { return base::make_ulid(clock_.now_ms()); }

 private:
  Clock& clock_;
};

}  // namespace chattwo::chat
