#pragma once
// ULID-style identifiers: 48 bits of milliseconds + 80 random bits in
// Crockford base32 (26 characters). They sort by creation time, which later
// lets DynamoDB and notification paging use them as range keys.
#include <array>
#include <cstdint>
#include <string>

namespace chattwo::base {

/// A new id for `unix_ms`. Thread-safe; randomness is per-thread and not
/// secret (ids are not credentials: tokens come from auth/). For ids that
/// must not be guessable (they end up in URLs), use the overload below with
/// bytes from a CSPRNG (auth::SodiumUlidGenerator).
std::string make_ulid(std::int64_t unix_ms);

/// The id for `unix_ms` whose 80 random bits are `random`.
std::string make_ulid(std::int64_t unix_ms, const std::array<unsigned char, 10>& random);

}  // namespace chattwo::base
