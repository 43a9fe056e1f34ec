#include "base/ulid.hpp"

#include <array>
#include <random>

namespace chattwo::base {

std::string make_ulid(std::int64_t unix_ms) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  // Seeded with 256 bits, so one id does not give away the thread's next ones.
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();

  std::string out(26, '0');
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 9; i >= 0; --i) {  // 10 characters carry the 48-bit time
    out[static_cast<std::size_t>(i)] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  std::uint64_t r1 = rng(), r2 = rng();  // 16 characters = 80 random bits
  for (std::size_t i = 10; i < 26; ++i) {
    std::uint64_t& r = i < 18 ? r1 : r2;
    out[i] = kAlphabet[r & 31];
    r >>= 5;
  }
  return out;
}

std::string make_ulid(std::int64_t unix_ms, const std::array<unsigned char, 10>& random) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out(26, '0');
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 9; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  // The 80 bits as two numbers of 40 (5 bytes each), 8 characters each.
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = 0;
    for (int b = 0; b < 5; ++b) bits = (bits << 8) | random[static_cast<std::size_t>(half * 5 + b)];
    for (int c = 7; c >= 0; --c) {
      out[static_cast<std::size_t>(10 + half * 8 + c)] = kAlphabet[bits & 31];
      bits >>= 5;
    }
  }
  return out;
}

}  // namespace chattwo::base
