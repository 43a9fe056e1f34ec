# Writes OUT, a C++ file holding every migrations/NNNN_name.sql as a string,
# so that the binary carries its schema and needs no files beside it.
file(GLOB files RELATIVE "${DIR}" "${DIR}/*.sql")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  string(REGEX MATCH "^([0-9]+)_(.*)\\.sql$" _ "${f}")
  set(version "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "^0+" "" version "${version}")
  file(READ "${DIR}/${f}" sql)
  string(APPEND body "    {${version}, \"${CMAKE_MATCH_2}\", R\"chattwo_sql(${sql})chattwo_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from src/store/sqlite/migrations/*.sql by embed_migrations.cmake.
#include \"store/sqlite/migrations.hpp\"

namespace chattwo::store::sqlite {

std::span<const Migration> built_in_migrations() {
  static const Migration kMigrations[] = {
${body}  };
  return kMigrations;
}

}  // namespace chattwo::store::sqlite
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
