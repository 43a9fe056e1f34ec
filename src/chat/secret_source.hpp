#pragma once
#include <string>
#include <string_view>

namespace chattwo::chat {

/// Port: unguessable secrets (session tokens, CSRF tokens) and their digests.
/// auth/ implements it with a CSPRNG; tests may fake it.
class SecretSource {
 public:
  virtual ~SecretSource() = default;
  /// 256 random bits, URL-safe base64 without padding.
  virtual std::string new_token() = 0;
  /// SHA-256 of `token`, lower-case hex: what stores keep instead of the token.
  virtual std::string digest(std::string_view token) = 0;
  /// Compares two secrets in time that does not depend on where they differ.
  virtual bool equal(std::string_view a, std::string_view b) = 0;
};

}  // namespace chattwo::chat
