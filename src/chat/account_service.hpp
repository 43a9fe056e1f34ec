#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chat/clock.hpp"
#include "chat/image_store.hpp"
#include "chat/login_throttle.hpp"
#include "chat/password_hasher.hpp"
#include "chat/result.hpp"
#include "chat/secret_source.hpp"
#include "chat/session.hpp"
#include "chat/session_store.hpp"
#include "chat/user.hpp"
#include "chat/user_store.hpp"

namespace chattwo::chat {

struct AccountSettings {
  std::int64_t cookie_session_ttl_ms = 30LL * 24 * 3600 * 1000;  // 30 days
  std::int64_t bearer_token_ttl_ms = 30LL * 24 * 3600 * 1000;    // API.md: 30 days
};

/// What a sign-in hands back: the user, the secret for the client (cookie
/// value or bearer token; shown once, stored only as a digest), and the session.
struct SignIn {
  User user;
  std::string secret;
  Session session;
};

/// Who is calling: the result of authenticating a request.
struct Caller {
  User user;
  Session session;
};

/// Accounts: sign-up, sign-in, sessions and bearer tokens, and the caller's
/// own profile. All methods block (Argon2id, storage): call from a worker.
class AccountService {
 public:
  AccountService(UserStore& users, SessionStore& sessions, PasswordHasher& hasher,
                 SecretSource& secrets, Clock& clock, IdGenerator& ids, LoginThrottle& throttle,
                 AccountSettings settings, ImageStore* images = nullptr);

  /// Creates an account and a cookie session. Code::conflict if the email exists.
  Result<SignIn> sign_up(std::string_view email, std::string_view password, std::string_view name);

  /// Checks credentials and starts a session of `kind`. Unknown email and
  /// wrong password give the same error (and take the same time);
  /// Code::rate_limited after too many failures for the email or `address`.
  Result<SignIn> log_in(std::string_view email, std::string_view password,
                        std::string_view address, SessionKind kind);

  /// A bearer token for a caller already signed in (e.g. by cookie).
  Result<SignIn> mint_token(const Caller& caller);

  /// The caller behind `secret`, or Code::unauthenticated.
  Result<Caller> authenticate(std::string_view secret);

  /// Revokes the session behind `session`, everywhere.
  void revoke(const Session& session);

  Result<User> update_profile(const Caller& caller, const ProfilePatch& patch);
  Result<User> find_user(std::string_view id);
  /// The users among `ids` that exist (any order), in one store call.
  std::vector<User> find_users(const std::vector<std::string>& ids);

 private:
  Result<SignIn> start_session(User user, SessionKind kind);

  UserStore& users_;
  SessionStore& sessions_;
  PasswordHasher& hasher_;
  SecretSource& secrets_;
  Clock& clock_;
  IdGenerator& ids_;
  LoginThrottle& throttle_;
  const AccountSettings settings_;
  ImageStore* images_;  // null: no avatars can be set
  // A real hash of a random password: verified against when the email is
  // unknown, so that the answer takes as long as for a wrong password.
  std::string decoy_hash_;
};

}  // namespace chattwo::chat
