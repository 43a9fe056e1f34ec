#pragma once
#include <cstddef>

#include "chat/password_hasher.hpp"

namespace chattwo::auth {

struct Argon2Settings {
  // libsodium's "interactive" preset: 64 MiB and 2 passes, ~50-100 ms per
  // hash on one core here. Tests lower both (the algorithm stays Argon2id).
  std::size_t memlimit_bytes = 64 * 1024 * 1024;
  unsigned long long opslimit = 2;
};

/// Argon2id (libsodium crypto_pwhash_str): salted, memory-hard, with its
/// parameters in the hash string, so raising them later keeps old hashes valid.
class Argon2idHasher final : public chat::PasswordHasher {
 public:
  /// Throws std::runtime_error if libsodium cannot initialise or the
  /// settings are out of Argon2id's range.
  explicit Argon2idHasher(Argon2Settings settings);
  std::string hash(std::string_view password) override;
  bool verify(std::string_view hash, std::string_view password) override;

 private:
  Argon2Settings settings_;
};

}  // namespace chattwo::auth
