#pragma once
// Reading a users row: the columns every user query selects, in this order
// (password_hash last, for the one query that needs it), and the User they
// make.
#include <string_view>

#include "chat/user.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

inline constexpr std::string_view kUserColumns =
    "id, email, name, status_message, avatar_image_id, created_at, password_hash";

/// The User of a row whose first six columns are kUserColumns' (avatar not filled in).
inline chat::User read_user(const Statement& row) {
  chat::User u;
  u.id = row.text(0);
  u.email = row.optional_text(1);
  u.name = row.text(2);
  u.status_message = row.text(3);
  u.avatar_image_id = row.optional_text(4);
  u.created_at_ms = row.integer(5);
  return u;
}

}  // namespace chattwo::store::sqlite
