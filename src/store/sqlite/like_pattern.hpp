#pragma once
// LIKE patterns for "contains this text", with SQL's wildcards taken
// literally. SQLite's LIKE folds ASCII letters only (no ICU here), which is
// the matching UserQuery promises.
#include <string>
#include <string_view>

namespace chattwo::store::sqlite {

/// The escape character the patterns use: write `LIKE ?n ESCAPE '\'`.
inline constexpr char kLikeEscape = '\\';

/// "%<text>%" with `%`, `_` and `\` in `text` escaped, so a search for
/// "50%" finds "50%" and not "500".
std::string like_contains(std::string_view text);

}  // namespace chattwo::store::sqlite
