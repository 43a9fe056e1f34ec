#include "chat/user_directory.hpp"

#include <algorithm>

#include "chat/query_checks.hpp"
#include "chat/validation.hpp"

namespace chattwo::chat {

Result<std::vector<User>> UserDirectory::search(std::string_view caller_id, std::string_view text,
                                                std::size_t limit) {
  auto name_part = normalize_search_text(text);
  if (!name_part) return fail(name_part.error());
  if (limit < 1) return fail(Error::validation("limit must be at least 1", "limit"));

  UserQuery query;
  // Text that is not an email is only a name search; one that is may be
  // both ("kim@x" could be part of a name, however unlikely).
  if (auto email = normalize_email(*name_part)) query.email = std::move(*email);
  query.name_part = std::move(*name_part);
  query.exclude_id = std::string(caller_id);
  query.limit = std::min(limit, kMaxUserSearchLimit);
  return users_.search(query);
}

}  // namespace chattwo::chat
