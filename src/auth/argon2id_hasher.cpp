#include "auth/argon2id_hasher.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace chattwo::auth {

Argon2idHasher::Argon2idHasher(Argon2Settings settings) : settings_(settings) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (settings_.memlimit_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      settings_.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN) {
    throw std::runtime_error("argon2 memlimit must be at least 8 KiB and opslimit at least 1");
  }
}

std::string Argon2idHasher::hash(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), settings_.opslimit,
                                 settings_.memlimit_bytes) != 0) {
    // Only fails when the memory cannot be allocated.
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool Argon2idHasher::verify(std::string_view hash, std::string_view password) {
  // crypto_pwhash_str_verify wants a NUL-terminated string.
  const std::string stored(hash);
  return crypto_pwhash_argon2id_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

}  // namespace chattwo::auth
