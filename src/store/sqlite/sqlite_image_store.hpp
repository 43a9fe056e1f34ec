#pragma once
#include "chat/image_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// ImageStore on the embedded SQLite database (table images; who may see
/// one from messages, room_members and users).
class SqliteImageStore final : public chat::ImageStore {
 public:
  explicit SqliteImageStore(Database& db) : db_(db) {}

  chat::Result<void> insert(const chat::Image& image) override;
  std::optional<chat::Image> find(std::string_view image_id) override;
  bool can_view(std::string_view image_id, std::string_view viewer_id) override;
  std::vector<chat::Image> unused(std::int64_t uploaded_before_ms, std::size_t limit) override;
  bool remove(std::string_view image_id) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
