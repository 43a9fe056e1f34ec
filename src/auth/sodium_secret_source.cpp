#include "auth/sodium_secret_source.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace chattwo::auth {

SodiumSecretSource::SodiumSecretSource() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string SodiumSecretSource::new_token() {
  unsigned char bytes[32];  // 256 bits: beyond guessing, even with many live sessions
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string SodiumSecretSource::digest(std::string_view token) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

bool SodiumSecretSource::equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace chattwo::auth
