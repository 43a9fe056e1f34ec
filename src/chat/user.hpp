#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "chat/image.hpp"

namespace chattwo::chat {

/// A person with an account. `email` is absent only for accounts that a
/// later OIDC sign-in creates without a verified email.
struct User {
  std::string id;
  std::optional<std::string> email;  // trimmed, lower case; shown to its owner only
  std::string name;                  // 1-40 code points, trimmed
  std::string status_message;        // 0-60 code points
  std::optional<std::string> avatar_image_id;
  std::optional<Image> avatar;  // the avatar's record (stores fill it in when they read a user)
  std::int64_t created_at_ms = 0;
};

/// A change to a user's profile: absent fields stay as they are.
struct ProfilePatch {
  std::optional<std::string> name;
  std::optional<std::string> status_message;
  /// Absent: unchanged. Present and empty optional: remove the avatar.
  std::optional<std::optional<std::string>> avatar_image_id;
};

}  // namespace chattwo::chat
