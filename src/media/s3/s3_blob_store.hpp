#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "chat/blob_store.hpp"
#include "chat/clock.hpp"

namespace chattwo::media::s3 {

struct S3BlobStoreSettings {
  // Scheme and host[:port] of the S3 API, optionally with a path prefix,
  // e.g. "http://127.0.0.1:4568" (s3rver, MinIO). Empty: AWS's endpoint for
  // the region, https://s3.<region>.amazonaws.com.
  std::string endpoint;
  std::string region = "us-east-1";
  std::string bucket;
  // From the configuration or the environment only; never a default here.
  std::string access_key_id;
  std::string secret_access_key;
  // true: <endpoint>/<bucket>/<key> (s3rver, MinIO, dotted bucket names);
  // false: <scheme>://<bucket>.<host>/<key> (AWS's preferred style).
  bool path_style = false;
  // How long a presigned GET URL works. Short, because anyone holding the
  // URL can fetch the image until then; AWS allows at most 7 days.
  std::chrono::seconds presign_expiry{300};
  // Set (e.g. "https://d111111abcdef8.cloudfront.net"): locate() answers
  // <cloudfront_url>/<key>, unsigned, instead of a presigned S3 URL. Then
  // anyone with the URL can fetch the image for as long as it exists: the
  // unguessable id in the key is the only protection.
  std::string cloudfront_url;
  // Connecting gives up after connect_timeout; a whole request (a 10 MiB
  // upload on a slow link included) after request_timeout.
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{120'000};
};

/// BlobStore on S3 or an S3-compatible service, over libcurl with its own
/// SigV4 signer (media/s3/sigv4.hpp). put streams the file (PUT Object,
/// payload SHA-256 signed, so S3 rejects bytes that changed on the way),
/// stat is HEAD, remove is DELETE, and locate() answers a redirect: a
/// presigned GET URL, or a CloudFront URL when one is configured, without
/// asking S3 whether the key exists. Transient failures (connection
/// errors, timeouts, 5xx, 429) are retried twice with a short backoff, then
/// answered Code::unavailable. Thread-safe: each request borrows a curl
/// handle from a small pool, so connections are reused. Every method but
/// locate() blocks on the network.
class S3BlobStore final : public chat::BlobStore {
 public:
  /// Checks the settings (throws std::invalid_argument with a one-line
  /// reason) and initialises libcurl once per process. No network traffic.
  S3BlobStore(S3BlobStoreSettings settings, chat::Clock& clock);
  ~S3BlobStore() override;
  S3BlobStore(const S3BlobStore&) = delete;
  S3BlobStore& operator=(const S3BlobStore&) = delete;

  chat::Result<chat::BlobInfo> put(std::string_view key, const std::string& file_path,
                                   std::string_view content_type) override;
  chat::Result<void> remove(std::string_view key) override;
  chat::Result<chat::BlobInfo> stat(std::string_view key) override;
  chat::Result<chat::BlobLocation> locate(std::string_view key) override;

  /// The object's URL without a signature, e.g. http://127.0.0.1:4568/bucket/img/a.jpg.
  std::string object_url(std::string_view key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chattwo::media::s3
