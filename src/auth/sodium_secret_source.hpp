#pragma once
#include "chat/secret_source.hpp"

namespace chattwo::auth {

/// Secrets from libsodium's CSPRNG (getrandom), digests by SHA-256.
class SodiumSecretSource final : public chat::SecretSource {
 public:
  /// Throws std::runtime_error if libsodium cannot initialise.
  SodiumSecretSource();
  std::string new_token() override;
  std::string digest(std::string_view token) override;
  bool equal(std::string_view a, std::string_view b) override;
};

}  // namespace chattwo::auth
