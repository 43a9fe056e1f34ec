#include "auth/sodium_secret_source.hpp"

#include <gtest/gtest.h>

#include <set>

using chattwo::auth::SodiumSecretSource;

TEST(SodiumSecretSource, TokensAreUrlSafeAndUnique) {
  SodiumSecretSource secrets;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string t = secrets.new_token();
    EXPECT_EQ(t.size(), 43u);  // 32 bytes, base64 without padding
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(SodiumSecretSource, DigestIsSha256Hex) {
  SodiumSecretSource secrets;
  EXPECT_EQ(secrets.digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SodiumSecretSource, EqualComparesWholeStrings) {
  SodiumSecretSource secrets;
  EXPECT_TRUE(secrets.equal("abc", "abc"));
  EXPECT_FALSE(secrets.equal("abc", "abd"));
  EXPECT_FALSE(secrets.equal("abc", "ab"));
}
