#include "store/sqlite/like_pattern.hpp"

namespace chattwo::store::sqlite {

std::string like_contains(std::string_view text) {
  std::string pattern;
  pattern.reserve(text.size() + 2);
  pattern += '%';
  for (char c : text) {
    if (c == '%' || c == '_' || c == kLikeEscape) pattern += kLikeEscape;
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace chattwo::store::sqlite
