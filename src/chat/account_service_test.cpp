#include "chat/account_service.hpp"

#include <gtest/gtest.h>

#include "auth/argon2id_hasher.hpp"
#include "auth/sodium_secret_source.hpp"
#include "chat/test_fakes.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_image_store.hpp"
#include "store/sqlite/sqlite_session_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

struct Accounts : ::testing::Test {
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteSessionStore sessions{db};
  store::sqlite::SqliteImageStore images{db};
  auth::Argon2idHasher hasher{{.memlimit_bytes = 64 * 1024, .opslimit = 1}};
  auth::SodiumSecretSource secrets;
  LoginThrottle throttle{{.max_failures_per_email = 3, .max_failures_per_address = 100}};
  AccountService accounts{users, sessions, hasher, secrets, clock_, ids_, throttle, AccountSettings{}, &images};
};

}  // namespace

TEST_F(Accounts, SignUpThenLogInWithAnyCaseOfTheEmail) {
  auto signed_up = accounts.sign_up(" Min@Example.com", "password1", " 민수 ");
  ASSERT_TRUE(signed_up) << signed_up.error().detail;
  EXPECT_EQ(signed_up->user.email, "min@example.com");
  EXPECT_EQ(signed_up->user.name, "민수");
  EXPECT_EQ(signed_up->session.kind, SessionKind::cookie);
  EXPECT_FALSE(signed_up->session.csrf_token.empty());

  auto logged_in = accounts.log_in("MIN@example.com", "password1", "127.0.0.1", SessionKind::cookie);
  ASSERT_TRUE(logged_in);
  EXPECT_EQ(logged_in->user.id, signed_up->user.id);
  EXPECT_NE(logged_in->secret, signed_up->secret);  // every sign-in gets a new session
}

TEST_F(Accounts, DuplicateEmailIsAConflict) {
  ASSERT_TRUE(accounts.sign_up("a@b.c", "password1", "A"));
  auto again = accounts.sign_up("A@B.C", "password2", "B");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::conflict);
}

TEST_F(Accounts, UnknownEmailAndWrongPasswordLookTheSame) {
  ASSERT_TRUE(accounts.sign_up("a@b.c", "password1", "A"));
  auto wrong = accounts.log_in("a@b.c", "password2", "ip", SessionKind::cookie);
  auto unknown = accounts.log_in("x@b.c", "password1", "ip", SessionKind::cookie);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, Code::unauthenticated);
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().detail, unknown.error().detail);
}

TEST_F(Accounts, TooManyFailuresBlockEvenTheRightPassword) {
  ASSERT_TRUE(accounts.sign_up("a@b.c", "password1", "A"));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(accounts.log_in("a@b.c", "nope-nope", "ip", SessionKind::cookie));
  auto blocked = accounts.log_in("a@b.c", "password1", "ip", SessionKind::cookie);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, Code::rate_limited);
  EXPECT_GT(blocked.error().retry_after_s, 0);
  clock_.advance_ms(15 * 60 * 1000);
  EXPECT_TRUE(accounts.log_in("a@b.c", "password1", "ip", SessionKind::cookie));
}

TEST_F(Accounts, SecretAuthenticatesUntilRevoked) {
  auto s = accounts.sign_up("a@b.c", "password1", "A");
  ASSERT_TRUE(s);
  auto caller = accounts.authenticate(s->secret);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->user.id, s->user.id);
  EXPECT_EQ(caller->session.csrf_token, s->session.csrf_token);
  accounts.revoke(caller->session);
  auto after = accounts.authenticate(s->secret);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Code::unauthenticated);
}

TEST_F(Accounts, OnlyTheDigestIsStored) {
  auto s = accounts.sign_up("a@b.c", "password1", "A");
  ASSERT_TRUE(s);
  EXPECT_NE(s->session.token_digest, s->secret);
  EXPECT_FALSE(sessions.find(s->secret, clock_.now_ms()));  // the raw secret finds nothing
  EXPECT_TRUE(sessions.find(secrets.digest(s->secret), clock_.now_ms()));
}

TEST_F(Accounts, BearerTokensExpireAfterThirtyDays) {
  ASSERT_TRUE(accounts.sign_up("a@b.c", "password1", "A"));
  auto token = accounts.log_in("a@b.c", "password1", "ip", SessionKind::bearer);
  ASSERT_TRUE(token);
  EXPECT_EQ(token->session.kind, SessionKind::bearer);
  EXPECT_TRUE(token->session.csrf_token.empty());
  EXPECT_EQ(token->session.expires_at_ms - clock_.now_ms(), 30 * kDay);
  clock_.advance_ms(30 * kDay - 1);
  EXPECT_TRUE(accounts.authenticate(token->secret));
  clock_.advance_ms(1);
  EXPECT_FALSE(accounts.authenticate(token->secret));
  EXPECT_EQ(sessions.purge_expired(clock_.now_ms()), 2u);  // the cookie session of sign-up too
}

TEST_F(Accounts, MintedTokenIsIndependentOfTheCookieSession) {
  auto s = accounts.sign_up("a@b.c", "password1", "A");
  ASSERT_TRUE(s);
  auto caller = accounts.authenticate(s->secret);
  auto token = accounts.mint_token(*caller);
  ASSERT_TRUE(token);
  accounts.revoke(caller->session);
  EXPECT_TRUE(accounts.authenticate(token->secret));
}

TEST_F(Accounts, ProfilePatchChangesOnlyGivenFields) {
  auto s = accounts.sign_up("a@b.c", "password1", "A");
  auto caller = accounts.authenticate(s->secret);
  ProfilePatch patch;
  patch.status_message = " 오늘도 화이팅 💪 ";
  auto updated = accounts.update_profile(*caller, patch);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "A");
  EXPECT_EQ(updated->status_message, "오늘도 화이팅 💪");

  ProfilePatch bad;
  bad.name = "";
  EXPECT_EQ(accounts.update_profile(*caller, bad).error().code, Code::validation);

  ProfilePatch avatar;
  avatar.avatar_image_id = std::optional<std::string>("img1");
  EXPECT_EQ(accounts.update_profile(*caller, avatar).error().code, Code::not_found);
  avatar.avatar_image_id = std::optional<std::string>{};
  EXPECT_TRUE(accounts.update_profile(*caller, avatar));
}

TEST_F(Accounts, AnAvatarIsOnesOwnUploadAndComesBackWithTheUser) {
  auto a = accounts.sign_up("a@b.c", "password1", "A");
  auto b = accounts.sign_up("b@b.c", "password1", "B");
  ASSERT_TRUE(a && b);
  Image upload;
  upload.id = "face";
  upload.uploader_id = a->user.id;
  upload.content_type = "image/png";
  upload.width = upload.height = 512;
  upload.thumbnail_content_type = "image/png";
  upload.thumbnail_width = upload.thumbnail_height = 320;
  upload.created_at_ms = clock_.now_ms();
  ASSERT_TRUE(images.insert(upload));

  ProfilePatch use;
  use.avatar_image_id = std::optional<std::string>("face");
  auto not_theirs = accounts.update_profile(*accounts.authenticate(b->secret), use);
  ASSERT_FALSE(not_theirs);
  EXPECT_EQ(not_theirs.error().code, Code::not_found);
  EXPECT_EQ(not_theirs.error().field, "avatarImageId");

  auto set = accounts.update_profile(*accounts.authenticate(a->secret), use);
  ASSERT_TRUE(set) << set.error().detail;
  ASSERT_TRUE(set->avatar);
  EXPECT_EQ(set->avatar->width, 512);
  auto seen = accounts.find_user(a->user.id);  // as others see them
  ASSERT_TRUE(seen);
  ASSERT_TRUE(seen->avatar);
  EXPECT_EQ(seen->avatar->id, "face");

  ProfilePatch remove;
  remove.avatar_image_id = std::optional<std::string>{};
  auto removed = accounts.update_profile(*accounts.authenticate(a->secret), remove);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->avatar);
}
