#pragma once
// Appending a message inside a write transaction: the one place that takes
// a room's next seq. Used by the message store (sends) and the room store
// (the system message of an invitation or a leave, in the same transaction
// as the membership change).
#include <cstdint>
#include <string_view>
#include <vector>

#include "chat/message.hpp"
#include "chat/message_store.hpp"
#include "chat/result.hpp"
#include "store/sqlite/database.hpp"

namespace chattwo::store::sqlite {

/// MessageStore::append's contract, on `conn`, which must be inside a write
/// transaction (Database::write).
chat::Result<chat::Appended> append_message(Connection& conn, const chat::Message& draft);

/// MessageStore::append_all's contract, likewise: each run of consecutive
/// drafts from one sender to one room takes its seqs in one statement,
/// inserts its messages, and moves the sender's mark once.
std::vector<chat::Result<chat::Appended>> append_messages(Connection& conn, const std::vector<chat::Message>& drafts);

/// How many members of the room have last_read_seq < seq (0 for system messages).
std::int64_t unread_count_on(Connection& conn, const chat::Message& message);

}  // namespace chattwo::store::sqlite
