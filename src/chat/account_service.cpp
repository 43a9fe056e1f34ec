#include "chat/account_service.hpp"

#include "chat/validation.hpp"

namespace chattwo::chat {
namespace {

// One message for unknown email and wrong password: telling them apart would
// let anyone probe which emails have accounts.
constexpr std::string_view kBadCredentials = "wrong email or password";

}  // namespace

AccountService::AccountService(UserStore& users, SessionStore& sessions, PasswordHasher& hasher,
                               SecretSource& secrets, Clock& clock, IdGenerator& ids,
                               LoginThrottle& throttle, AccountSettings settings, ImageStore* images)
    : users_(users),
      sessions_(sessions),
      hasher_(hasher),
      secrets_(secrets),
      clock_(clock),
      ids_(ids),
      throttle_(throttle),
      settings_(settings),
      images_(images),
      decoy_hash_(hasher.hash(secrets.new_token())) {}

Result<SignIn> AccountService::sign_up(std::string_view email, std::string_view password,
                                       std::string_view name) {
  auto normalized_email = normalize_email(email);
  if (!normalized_email) return fail(normalized_email.error());
  auto normalized_name = normalize_user_name(name);
  if (!normalized_name) return fail(normalized_name.error());
  if (auto ok = check_password(password); !ok) return fail(ok.error());

  User user;
  user.id = ids_.next_id();
  user.email = std::move(*normalized_email);
  user.name = std::move(*normalized_name);
  user.created_at_ms = clock_.now_ms();
  if (auto inserted = users_.insert(user, hasher_.hash(password)); !inserted) {
    if (inserted.error().code == Code::conflict) {
      return fail(Error::conflict("an account with this email already exists"));
    }
    return fail(inserted.error());
  }
  return start_session(std::move(user), SessionKind::cookie);
}

Result<SignIn> AccountService::log_in(std::string_view email, std::string_view password,
                                      std::string_view address, SessionKind kind) {
  auto normalized = normalize_email(email);
  if (!normalized) return fail(normalized.error());
  const std::int64_t now = clock_.now_ms();
  if (const auto wait_s = throttle_.begin_attempt(*normalized, address, now); wait_s > 0) {
    Error e{Code::rate_limited, "too many failed sign-ins; try again later"};
    e.retry_after_s = wait_s;
    return fail(std::move(e));
  }

  auto credentials = users_.find_credentials_by_email(*normalized);
  const bool known = credentials.has_value() && !credentials->password_hash.empty();
  // No password over the sign-up limit can match; don't spend a hash on one.
  const bool matches = password.size() <= kMaxPasswordBytes &&
                       hasher_.verify(known ? credentials->password_hash : decoy_hash_, password);
  if (!known || !matches) return fail(Error::unauthenticated(std::string(kBadCredentials)));
  throttle_.record_success(*normalized, address);
  return start_session(std::move(credentials->user), kind);
}

Result<SignIn> AccountService::mint_token(const Caller& caller) {
  return start_session(caller.user, SessionKind::bearer);
}

Result<Caller> AccountService::authenticate(std::string_view secret) {
  if (secret.empty()) return fail(Error::unauthenticated("sign in first"));
  auto session = sessions_.find(secrets_.digest(secret), clock_.now_ms());
  if (!session) return fail(Error::unauthenticated("the session is unknown, expired or revoked"));
  auto user = users_.find_by_id(session->user_id);
  if (!user) return fail(Error::unauthenticated("the session's account no longer exists"));
  return Caller{std::move(*user), std::move(*session)};
}

void AccountService::revoke(const Session& session) { sessions_.revoke(session.token_digest); }

Result<User> AccountService::update_profile(const Caller& caller, const ProfilePatch& patch) {
  ProfilePatch clean;
  if (patch.name) {
    auto name = normalize_user_name(*patch.name);
    if (!name) return fail(name.error());
    clean.name = std::move(*name);
  }
  if (patch.status_message) {
    auto status = normalize_status_message(*patch.status_message);
    if (!status) return fail(status.error());
    clean.status_message = std::move(*status);
  }
  if (patch.avatar_image_id) {
    if (patch.avatar_image_id->has_value()) {
      // One's own upload only (anyone signed in may then see it).
      std::optional<Image> image;
      if (images_) image = images_->find(**patch.avatar_image_id);
      if (!image || image->uploader_id != caller.user.id) {
        return fail(Error{Code::not_found, "no image with this id that you uploaded", "avatarImageId"});
      }
    }
    clean.avatar_image_id = *patch.avatar_image_id;
  }
  auto updated = users_.update_profile(caller.user.id, clean);
  if (!updated) return fail(Error::unauthenticated("the session's account no longer exists"));
  return std::move(*updated);
}

Result<User> AccountService::find_user(std::string_view id) {
  auto user = users_.find_by_id(id);
  if (!user) return fail(Error::not_found("no user with this id"));
  return std::move(*user);
}

std::vector<User> AccountService::find_users(const std::vector<std::string>& ids) { return users_.find_by_ids(ids); }

Result<SignIn> AccountService::start_session(User user, SessionKind kind) {
  const std::int64_t now = clock_.now_ms();
  std::string secret = secrets_.new_token();
  Session session;
  session.id = ids_.next_id();
  session.token_digest = secrets_.digest(secret);
  session.user_id = user.id;
  session.kind = kind;
  if (kind == SessionKind::cookie) session.csrf_token = secrets_.new_token();
  session.created_at_ms = now;
  session.expires_at_ms =
      now + (kind == SessionKind::cookie ? settings_.cookie_session_ttl_ms
                                         : settings_.bearer_token_ttl_ms);
  if (auto inserted = sessions_.insert(session); !inserted) return fail(inserted.error());
  return SignIn{std::move(user), std::move(secret), std::move(session)};
}

}  // namespace chattwo::chat
