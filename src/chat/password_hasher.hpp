#pragma once
#include <string>
#include <string_view>

namespace chattwo::chat {

/// Port: slow, salted password hashing (Argon2id in auth/). Both calls block
/// for tens of milliseconds by design: run them on a worker thread.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  /// A self-describing hash string (algorithm, parameters, salt, digest).
  virtual std::string hash(std::string_view password) = 0;
  /// True when `password` matches `hash`. Takes as long for a bad hash string
  /// as for a good one, so that unknown accounts can't be told by timing.
  virtual bool verify(std::string_view hash, std::string_view password) = 0;
};

}  // namespace chattwo::chat
