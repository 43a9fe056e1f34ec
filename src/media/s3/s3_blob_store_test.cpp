// S3BlobStore without a network: settings checks, URL shapes and presigned
// redirects. Requests against a real S3 API (s3rver in CI) are in
// media/contract/blob_store_contract_test.cpp.
#include "media/s3/s3_blob_store.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <variant>

#include "media/s3/sigv4.hpp"

namespace chattwo::media::s3 {
namespace {

class FixedClock final : public chat::Clock {
 public:
  explicit FixedClock(std::int64_t ms) : ms_(ms) {}
  std::int64_t now_ms() override { return ms_; }
  std::int64_t ms_;
};

// 2013-05-24T00:00:00Z, the S3 guide's example time.
constexpr std::int64_t kExampleMs = 1'369'353'600'000;

S3BlobStoreSettings example_settings() {
  S3BlobStoreSettings s;
  s.region = "us-east-1";
  s.bucket = "examplebucket";
  s.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  s.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  return s;
}

const chat::BlobRedirect& redirect_of(const chat::Result<chat::BlobLocation>& r) {
  EXPECT_TRUE(r);
  return std::get<chat::BlobRedirect>(*r);
}

TEST(S3BlobStore, SettingsAreChecked) {
  FixedClock clock(kExampleMs);
  auto with = [&](auto change) {
    S3BlobStoreSettings s = example_settings();
    change(s);
    return s;
  };
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.bucket.clear(); }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.region.clear(); }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.secret_access_key.clear(); }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.endpoint = "ftp://x"; }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.endpoint = "http://"; }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.endpoint = "http://user@host"; }), clock), std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.presign_expiry = std::chrono::seconds(0); }), clock),
               std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.presign_expiry = std::chrono::hours(24 * 8); }), clock),
               std::invalid_argument);
  EXPECT_THROW(S3BlobStore(with([](auto& s) { s.cloudfront_url = "d111.cloudfront.net"; }), clock),
               std::invalid_argument);
  EXPECT_NO_THROW(S3BlobStore(example_settings(), clock));
}

TEST(S3BlobStore, UrlStyles) {
  FixedClock clock(kExampleMs);
  S3BlobStore aws(example_settings(), clock);
  EXPECT_EQ(aws.object_url("img/a/full.jpg"), "https://examplebucket.s3.us-east-1.amazonaws.com/img/a/full.jpg");

  S3BlobStoreSettings local = example_settings();
  local.endpoint = "http://127.0.0.1:4568/";
  local.path_style = true;
  EXPECT_EQ(S3BlobStore(local, clock).object_url("img/a/full.jpg"), "http://127.0.0.1:4568/examplebucket/img/a/full.jpg");

  local.endpoint = "https://minio.example:443/s3";
  EXPECT_EQ(S3BlobStore(local, clock).object_url("a.png"), "https://minio.example/s3/examplebucket/a.png");
}

// The S3 guide's presigned-URL example, produced through the adapter:
// virtual-host style on the global endpoint, 86400 s, at 20130524T000000Z.
TEST(S3BlobStore, PresignedRedirectMatchesAwsExample) {
  FixedClock clock(kExampleMs);
  S3BlobStoreSettings s = example_settings();
  s.endpoint = "https://s3.amazonaws.com";
  s.presign_expiry = std::chrono::seconds(86400);
  S3BlobStore store(s, clock);
  const auto r = store.locate("test.txt");
  const auto& redirect = redirect_of(r);
  EXPECT_EQ(redirect.url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  EXPECT_EQ(redirect.valid_for, std::chrono::seconds(86400));
}

TEST(S3BlobStore, PresignedUrlsAreStableWithinAMinute) {
  FixedClock clock(kExampleMs + 42'500);  // 00:00:42.5
  S3BlobStoreSettings s = example_settings();
  s.presign_expiry = std::chrono::seconds(300);
  S3BlobStore store(s, clock);
  const auto first = store.locate("img/x/full.jpg");
  EXPECT_NE(redirect_of(first).url.find("X-Amz-Date=20130524T000000Z"), std::string::npos) << redirect_of(first).url;
  EXPECT_EQ(redirect_of(first).valid_for, std::chrono::seconds(300 - 42));
  clock.ms_ = kExampleMs + 59'999;
  EXPECT_EQ(redirect_of(store.locate("img/x/full.jpg")).url, redirect_of(first).url);
  clock.ms_ = kExampleMs + 60'000;
  EXPECT_NE(redirect_of(store.locate("img/x/full.jpg")).url, redirect_of(first).url);

  // A short expiry is not shortened further.
  s.presign_expiry = std::chrono::seconds(60);
  S3BlobStore short_lived(s, clock);
  clock.ms_ = kExampleMs + 42'000;
  EXPECT_EQ(redirect_of(short_lived.locate("a.jpg")).valid_for, std::chrono::seconds(60));
}

TEST(S3BlobStore, CloudFrontRedirectIsUnsignedAndDoesNotExpire) {
  FixedClock clock(kExampleMs);
  S3BlobStoreSettings s = example_settings();
  s.cloudfront_url = "https://d111111abcdef8.cloudfront.net/";
  S3BlobStore store(s, clock);
  const auto r = store.locate("img/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumb.webp");
  EXPECT_EQ(redirect_of(r).url, "https://d111111abcdef8.cloudfront.net/img/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumb.webp");
  EXPECT_EQ(redirect_of(r).valid_for, std::chrono::seconds(0));
}

// Keys are checked before anything goes out (the endpoint here is never reached).
TEST(S3BlobStore, BadKeysFailWithoutARequest) {
  FixedClock clock(kExampleMs);
  S3BlobStoreSettings s = example_settings();
  s.endpoint = "http://unreachable.invalid";
  S3BlobStore store(s, clock);
  EXPECT_EQ(store.stat("../etc/passwd").error().code, chat::Code::validation);
  EXPECT_EQ(store.remove("/abs").error().code, chat::Code::validation);
  EXPECT_EQ(store.locate("a//b").error().code, chat::Code::validation);
  EXPECT_EQ(store.put("a b", "/dev/null", "image/png").error().code, chat::Code::validation);
  EXPECT_EQ(store.put("a.png", "/dev/null", "image/png\r\nX: 1").error().code, chat::Code::validation);
}

}  // namespace
}  // namespace chattwo::media::s3
