#include "auth/sodium_ulid_generator.hpp"

#include <gtest/gtest.h>

#include <set>

#include "base/ulid.hpp"
#include "chat/test_fakes.hpp"

using namespace chattwo;

TEST(SodiumUlidGenerator, IdsAreUlidsOfTheClocksTimeAndNeverRepeat) {
  chat::testing::FakeClock clock;
  auth::SodiumUlidGenerator ids(clock);
  const std::string time_part = base::make_ulid(clock.now_ms()).substr(0, 10);
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = ids.next_id();
    ASSERT_EQ(id.size(), 26u);
    EXPECT_EQ(id.substr(0, 10), time_part);
    EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(SodiumUlidGenerator, TheRandomPartEncodesEveryBit) {
  std::array<unsigned char, 10> zeros{}, ones;
  ones.fill(0xff);
  EXPECT_EQ(base::make_ulid(0, zeros), std::string(26, '0'));
  EXPECT_EQ(base::make_ulid(0, ones), std::string(10, '0') + std::string(16, 'Z'));
  std::array<unsigned char, 10> last{};
  last[9] = 1;
  EXPECT_EQ(base::make_ulid(0, last), std::string(25, '0') + "1");
  std::array<unsigned char, 10> first{};
  first[0] = 0x80;  // the top bit of the 80: the first random character's top bit
  EXPECT_EQ(base::make_ulid(0, first).substr(10, 1), "G");  // 0b10000 = 16
}
