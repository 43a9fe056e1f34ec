#pragma once
#include "chat/message_store.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// MessageStore on the embedded SQLite database (table messages, with the
/// seq counter in rooms.last_seq and read marks in room_members). Each
/// append is one BEGIN IMMEDIATE transaction: writers take turns, so the
/// seq read and the seq written can't interleave with another's.
class SqliteMessageStore final : public chat::MessageStore {
 public:
  explicit SqliteMessageStore(Database& db) : db_(db) {}

  chat::Result<chat::Appended> append(const chat::Message& draft) override;
  std::vector<chat::Result<chat::Appended>> append_all(const std::vector<chat::Message>& drafts) override;
  chat::Result<chat::ReadMark> mark_read(std::string_view room_id, std::string_view user_id,
                                         std::int64_t seq) override;
  std::int64_t count_unread(std::string_view room_id, std::int64_t seq) override;
  chat::Result<chat::MessagePage> page(std::string_view room_id, std::string_view reader_id,
                                       const chat::PageQuery& query) override;

 private:
  Database& db_;
};

}  // namespace chattwo::store::sqlite
