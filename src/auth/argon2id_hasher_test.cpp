#include "auth/argon2id_hasher.hpp"

#include <gtest/gtest.h>

using chattwo::auth::Argon2idHasher;

namespace {
// Small parameters keep the test fast; the algorithm and format are the same.
Argon2idHasher cheap_hasher() { return Argon2idHasher({.memlimit_bytes = 64 * 1024, .opslimit = 1}); }
}  // namespace

TEST(Argon2idHasher, HashIsArgon2idAndVerifies) {
  auto hasher = cheap_hasher();
  const std::string h = hasher.hash("correct horse 🐴 배터리");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(hasher.verify(h, "correct horse 🐴 배터리"));
  EXPECT_FALSE(hasher.verify(h, "correct horse 🐴 배터리 "));
  EXPECT_FALSE(hasher.verify(h, ""));
}

TEST(Argon2idHasher, SaltsEveryHash) {
  auto hasher = cheap_hasher();
  EXPECT_NE(hasher.hash("password1"), hasher.hash("password1"));
}

TEST(Argon2idHasher, GarbageHashNeverVerifies) {
  auto hasher = cheap_hasher();
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("$argon2id$v=19$m=65536,t=2,p=1$bm90$bm90", "x"));
}

TEST(Argon2idHasher, KeepsVerifyingHashesMadeWithOtherParameters) {
  const std::string old_hash = cheap_hasher().hash("pass word");
  Argon2idHasher stronger({.memlimit_bytes = 128 * 1024, .opslimit = 2});
  EXPECT_TRUE(stronger.verify(old_hash, "pass word"));
}

TEST(Argon2idHasher, RefusesParametersBelowTheMinimum) {
  EXPECT_THROW(Argon2idHasher({.memlimit_bytes = 1024, .opslimit = 1}), std::runtime_error);
}
