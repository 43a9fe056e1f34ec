#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "chat/result.hpp"
#include "chat/session.hpp"

namespace chattwo::chat {

/// Port: sign-ins (SQLite by default, Redis when scaled out). Revocation must
/// reach every node: an adapter answers find() from the shared store, not
/// from a per-node cache that could outlive a logout.
/// Methods block: call them from a worker thread.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual Result<void> insert(const Session& session) = 0;
  /// The live session with this digest, or nullopt if unknown, revoked or
  /// expired at `now_ms`.
  virtual std::optional<Session> find(std::string_view token_digest, std::int64_t now_ms) = 0;
  /// Revokes one session; revoking an unknown one is not an error.
  virtual void revoke(std::string_view token_digest) = 0;
  /// Deletes expired sessions; returns how many went.
  virtual std::size_t purge_expired(std::int64_t now_ms) = 0;
};

}  // namespace chattwo::chat
