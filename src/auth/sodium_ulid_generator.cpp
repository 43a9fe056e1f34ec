#include "auth/sodium_ulid_generator.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "base/ulid.hpp"

namespace chattwo::auth {

SodiumUlidGenerator::SodiumUlidGenerator(chat::Clock& clock) : clock_(clock) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
}

std::string SodiumUlidGenerator::next_id() {
  std::array<unsigned char, 10> random;
  randombytes_buf(random.data(), random.size());
  return base::make_ulid(clock_.now_ms(), random);
}

}  // namespace chattwo::auth
