#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/result.hpp"
#include "chat/user.hpp"

namespace chattwo::chat {

/// A user with the Argon2id hash of their password (empty for accounts that
/// sign in only through OIDC). Only the account service sees this.
struct Credentials {
  User user;
  std::string password_hash;
};

/// Port: where users live (SQLite by default, MySQL when scaled out).
/// Methods block: call them from a worker thread.
class UserStore {
 public:
  virtual ~UserStore() = default;

  /// Inserts a new user. Code::conflict when the email is taken.
  virtual Result<void> insert(const User& user, std::string_view password_hash) = 0;
  virtual std::optional<User> find_by_id(std::string_view id) = 0;
  /// The users among `ids` that exist, in no particular order, in one
  /// round trip (a room list names hundreds of members).
  virtual std::vector<User> find_by_ids(const std::vector<std::string>& ids) = 0;
  /// `email` must already be normalised (trimmed, lower case).
  virtual std::optional<Credentials> find_credentials_by_email(std::string_view email) = 0;
  /// Applies `patch` and returns the user as stored; nullopt for an unknown id.
  virtual std::optional<User> update_profile(std::string_view id, const ProfilePatch& patch) = 0;
};

}  // namespace chattwo::chat
