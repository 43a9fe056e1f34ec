#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "chat/result.hpp"
#include "chat/user.hpp"
#include "chat/user_store.hpp"

namespace chattwo::chat {

inline constexpr std::size_t kDefaultUserSearchLimit = 20;  // API.md
inline constexpr std::size_t kMaxUserSearchLimit = 50;      // API.md: a larger limit reads as 50

/// Finding other users, to add them as friends: by a part of their name or
/// by their exact email. Callers see only public profiles; presenting them
/// without emails is api/'s job. All methods block (storage): call from a
/// worker.
class UserDirectory {
 public:
  explicit UserDirectory(UserStore& users) : users_(users) {}

  /// Users other than the caller whose name contains `text` (trimmed; ASCII
  /// letters in either case, anything else exactly) or whose email is
  /// `text` (trimmed, any case), at most `limit` (1-50; more reads as 50).
  /// Code::validation (field "q") for blank, over-long or malformed text,
  /// (field "limit") for a limit of 0.
  Result<std::vector<User>> search(std::string_view caller_id, std::string_view text, std::size_t limit);

 private:
  UserStore& users_;
};

}  // namespace chattwo::chat
