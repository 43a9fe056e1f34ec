#pragma once
#include <cstddef>
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

/// A search for users to add as friends (GET /api/v1/users?q=).
struct UserQuery {
  /// Non-empty. A user matches whose name contains it: ASCII letters in
  /// either case, every other character exactly (Korean, emoji), and `%`,
  /// `_` and `\` as themselves, never as wildcards.
  std::string name_part;
  /// Normalised (trimmed, lower case), or nullopt when the text is not an
  /// email: the user with exactly this email matches too.
  std::optional<std::string> email;
  std::string exclude_id;  // the caller: never in the answer
  std::size_t limit = 20;
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
  /// At most `query.limit` users matching `query`: the one with the email
  /// first, then by name (ASCII letters without regard to case, everything
  /// else by code point: 가나다 order for Hangul), then by id. An adapter may scan every user (the
  /// SQLite one does); a real index, one that also folds case beyond ASCII
  /// and finds Korean by syllable parts, comes with the issue "search that
  /// works for Korean".
  virtual std::vector<User> search(const UserQuery& query) = 0;
};

}  // namespace chattwo::chat
