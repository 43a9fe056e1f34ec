# Writes OUT: a C++ file defining `std::string_view NAMESPACE::FUNCTION()`
# that returns the text of IN, so the binary carries the file (e.g. the
# OpenAPI document) and needs nothing beside it at run time.
file(READ "${IN}" text)
if(text MATCHES "\\)chattwo_embed\"")
  message(FATAL_ERROR "${IN} contains the raw-string delimiter")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_text.cmake.
#include <string_view>

namespace ${NAMESPACE} {

std::string_view ${FUNCTION}() {
  static constexpr std::string_view kText = R\"chattwo_embed(${text})chattwo_embed\";
  return kText;
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
