#pragma once
// Ids whose random part comes from libsodium's CSPRNG. Ids end up in URLs
// (an image's, a room's), and where a URL is all the protection there is
// (images behind CloudFront) they must not be guessable from ids seen
// before, as a seeded Mersenne Twister's are.
#include "chat/clock.hpp"

namespace chattwo::auth {

class SodiumUlidGenerator final : public chat::IdGenerator {
 public:
  explicit SodiumUlidGenerator(chat::Clock& clock);  // starts libsodium if needed
  std::string next_id() override;  // thread-safe, no system call per id

 private:
  chat::Clock& clock_;
};

}  // namespace chattwo::auth
