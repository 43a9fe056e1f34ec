#pragma once
#include "chat/room_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// RoomStore on the embedded SQLite database (tables rooms, room_members).
class SqliteRoomStore final : public chat::RoomStore {
 public:
  explicit SqliteRoomStore(Database& db) : db_(db) {}

  chat::Result<void> insert(const chat::Room& room) override;
  std::optional<chat::Room> find(std::string_view room_id) override;
  std::optional<chat::Room> find_direct(std::string_view user_a, std::string_view user_b) override;
  bool is_member(std::string_view room_id, std::string_view user_id) override;
  std::vector<chat::RoomSummary> summaries_for(std::string_view user_id) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
