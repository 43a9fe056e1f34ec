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
  std::vector<chat::MemberSummary> member_summaries(std::string_view room_id,
                                                    const std::vector<std::string>& user_ids) override;
  chat::Result<chat::MembersAdded> add_members(std::string_view room_id, const std::vector<std::string>& user_ids,
                                               const chat::Message& system_draft, std::int64_t now_ms) override;
  chat::Result<chat::MemberLeft> remove_member(std::string_view room_id, std::string_view user_id,
                                               const chat::Message& system_draft) override;
  chat::Result<void> rename(std::string_view room_id, std::string_view name) override;
  chat::Result<void> rejoin(std::string_view room_id, std::string_view user_id, std::int64_t now_ms) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
