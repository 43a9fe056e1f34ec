#include "media/s3/s3_blob_store.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "media/s3/sigv4.hpp"

namespace chattwo::media::s3 {
namespace {

using chat::Error;
using chat::fail;

// Idle curl handles kept for reuse (each holds its open connections). More
// requests than this at once still work; the extra handles are freed after.
constexpr std::size_t kMaxIdleHandles = 16;
// Attempts per request: transient failures are retried twice, after 100 ms
// and 400 ms; longer waits would hold a worker thread for nothing.
constexpr int kAttempts = 3;
constexpr std::chrono::milliseconds kFirstBackoff{100};
// An S3 error body is a small XML document; more than this is not one.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
// File read buffer while hashing an upload.
constexpr std::size_t kHashBufferBytes = 64 * 1024;
// AWS refuses presigned URLs that live longer than 7 days.
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

struct Endpoint {
  std::string scheme;     // "http" or "https"
  std::string authority;  // host[:port], default port dropped
  std::string base_path;  // "" or "/prefix"
};

Endpoint parse_endpoint(const std::string& url, const std::string& what) {
  Endpoint e;
  const auto sep = url.find("://");
  if (sep == std::string::npos) throw std::invalid_argument(what + " must start with http:// or https://, not '" + url + "'");
  e.scheme = url.substr(0, sep);
  if (e.scheme != "http" && e.scheme != "https") {
    throw std::invalid_argument(what + " must start with http:// or https://, not '" + url + "'");
  }
  const std::string rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  e.authority = rest.substr(0, slash);
  if (slash != std::string::npos) e.base_path = rest.substr(slash);
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  if (e.authority.empty() || e.authority.find_first_of("@?# ") != std::string::npos ||
      e.base_path.find_first_of("?# ") != std::string::npos) {
    throw std::invalid_argument(what + " is not a plain http(s)://host[:port][/path] URL: '" + url + "'");
  }
  // What curl sends as Host, and so what must be signed: no default port.
  const std::string default_port = e.scheme == "https" ? ":443" : ":80";
  if (e.authority.ends_with(default_port)) e.authority.resize(e.authority.size() - default_port.size());
  return e;
}

// The text between <tag> and </tag> in an S3 error document, or "".
std::string xml_field(const std::string& xml, const std::string& tag) {
  const auto open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return {};
  const auto start = open + tag.size() + 2;
  const auto close = xml.find("</" + tag + ">", start);
  return close == std::string::npos ? std::string() : xml.substr(start, close - start);
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

struct Response {
  long status = 0;
  std::string body;  // error bodies only matter; capped at kMaxErrorBody
  std::string etag;
  std::string content_type;
  std::optional<std::uint64_t> content_length;
};

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue): forget the last one's headers
    *r = Response{};
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  if (name == "etag") {
    r->etag = unquote(std::string(value));
  } else if (name == "content-type") {
    r->content_type = value;
  } else if (name == "content-length") {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec == std::errc{} && end == value.data() + value.size()) r->content_length = v;
  }
  return size * n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
  const std::size_t room = kMaxErrorBody > r->body.size() ? kMaxErrorBody - r->body.size() : 0;
  r->body.append(data, std::min(room, size * n));
  return size * n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* f = static_cast<std::FILE*>(user);
  const std::size_t got = std::fread(buffer, 1, size * n, f);
  if (got == 0 && std::ferror(f)) return CURL_READFUNC_ABORT;
  return got;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* f = static_cast<std::FILE*>(user);
  return ::fseeko(f, static_cast<off_t>(offset), origin) == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL;
}

bool transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool transient(long status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace

struct S3BlobStore::Impl {
  S3BlobStoreSettings settings;
  chat::Clock& clock;
  Endpoint endpoint;
  std::optional<Endpoint> cloudfront;
  sigv4::Credentials credentials;
  sigv4::Scope scope;

  std::mutex mu;
  std::vector<CURL*> idle;  // guarded by mu

  Impl(S3BlobStoreSettings s, chat::Clock& c) : settings(std::move(s)), clock(c) {
    if (settings.bucket.empty()) throw std::invalid_argument("the S3 bucket is not set");
    if (settings.region.empty()) throw std::invalid_argument("the S3 region is not set");
    if (settings.access_key_id.empty() || settings.secret_access_key.empty()) {
      throw std::invalid_argument("the S3 access key id and secret access key must both be set");
    }
    if (settings.presign_expiry < std::chrono::seconds(1) || settings.presign_expiry > kMaxPresignExpiry) {
      throw std::invalid_argument("the S3 presign expiry must be between 1 s and 7 days");
    }
    const std::string url =
        settings.endpoint.empty() ? "https://s3." + settings.region + ".amazonaws.com" : settings.endpoint;
    endpoint = parse_endpoint(url, "the S3 endpoint");
    if (!settings.path_style) endpoint.authority = settings.bucket + "." + endpoint.authority;
    if (!settings.cloudfront_url.empty()) cloudfront = parse_endpoint(settings.cloudfront_url, "the CloudFront URL");
    credentials = {settings.access_key_id, settings.secret_access_key};
    scope = {settings.region, "s3"};

    static std::once_flag curl_once;
    std::call_once(curl_once, [] {
      // Once per process and never cleaned up: libcurl's global state
      // (TLS library) lives as long as the process.
      if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl failed to initialise");
    });
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }

  ~Impl() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }

  // "/bucket/img/a.jpg" (path style) or "/img/a.jpg", with the endpoint's prefix.
  std::string path_of(std::string_view key) const {
    std::string path = endpoint.base_path;
    if (settings.path_style) path += "/" + sigv4::uri_encode(settings.bucket, false);
    return path + "/" + sigv4::uri_encode(key, true);
  }

  std::string url_of(std::string_view key) const {
    return endpoint.scheme + "://" + endpoint.authority + path_of(key);
  }

  CURL* borrow() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    CURL* h = curl_easy_init();
    if (!h) throw std::runtime_error("curl_easy_init failed");
    return h;
  }

  void give_back(CURL* h) {
    // Options go, live connections stay (curl_easy_reset keeps them).
    curl_easy_reset(h);
    std::lock_guard lock(mu);
    if (idle.size() < kMaxIdleHandles) {
      idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  struct Upload {
    std::FILE* file;
    std::uint64_t size;
    std::string payload_hash;
    std::string content_type;
  };

  // One signed request with retries. A curl failure that outlasts the
  // retries is Code::unavailable; any HTTP status is the caller's to judge.
  chat::Result<Response> send(const char* method, std::string_view key, const Upload* upload) {
    std::chrono::milliseconds backoff = kFirstBackoff;
    for (int attempt = 1;; ++attempt) {
      Response response;
      const CURLcode code = send_once(method, key, upload, response);
      const bool retry = code != CURLE_OK ? transient(code) : transient(response.status);
      if (!retry || attempt == kAttempts) {
        if (code != CURLE_OK) {
          return fail(Error{chat::Code::unavailable,
                            std::string("S3 ") + method + " failed: " + curl_easy_strerror(code), {}, 1});
        }
        return response;
      }
      std::this_thread::sleep_for(backoff);
      backoff *= 4;
      if (upload && std::fseek(upload->file, 0, SEEK_SET) != 0) {
        return fail(Error::internal("cannot rewind the file being uploaded"));
      }
    }
  }

  CURLcode send_once(const char* method, std::string_view key, const Upload* upload, Response& response) {
    const std::string date = sigv4::amz_date(clock.now_ms() / 1000);
    const std::string payload_hash = upload ? upload->payload_hash : std::string(sigv4::kEmptyPayloadHash);
    sigv4::Request request{method, path_of(key), {},
                           {{"host", endpoint.authority}, {"x-amz-content-sha256", payload_hash}, {"x-amz-date", date}},
                           payload_hash};
    if (upload) request.headers.emplace_back("content-type", upload->content_type);

    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, ("authorization: " + sigv4::authorization(credentials, scope, date, request)).c_str());
    // No "Expect: 100-continue" round trip before an upload: images are
    // small, and some S3 look-alikes answer the 100 late.
    headers = curl_slist_append(headers, "Expect:");

    CURL* h = borrow();
    const std::string url = url_of(key);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.request_timeout.count()));
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
    if (std::string_view(method) == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (upload) {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);  // PUT, body from the read callback: never all in memory
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(h, CURLOPT_READDATA, upload->file);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, upload->file);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload->size));
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    const CURLcode code = curl_easy_perform(h);
    if (code == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    give_back(h);
    curl_slist_free_all(headers);
    return code;
  }

  // An HTTP answer S3 should not have given, as a domain error.
  static Error s3_error(const char* method, const Response& r) {
    const std::string code = xml_field(r.body, "Code");
    const std::string message = xml_field(r.body, "Message");
    std::string detail = std::string("S3 ") + method + " answered " + std::to_string(r.status);
    if (!code.empty()) detail += " " + code;
    if (!message.empty()) detail += ": " + message;
    if (transient(r.status)) return Error{chat::Code::unavailable, detail, {}, 1};
    return Error::internal(detail);
  }
};

S3BlobStore::S3BlobStore(S3BlobStoreSettings settings, chat::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(settings), clock)) {}

S3BlobStore::~S3BlobStore() = default;

std::string S3BlobStore::object_url(std::string_view key) const { return impl_->url_of(key); }

chat::Result<chat::BlobInfo> S3BlobStore::put(std::string_view key, const std::string& file_path,
                                              std::string_view content_type) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  if (auto ok = chat::validate_blob_content_type(content_type); !ok) return fail(ok.error());
  File file(std::fopen(file_path.c_str(), "rbe"));  // 'e': O_CLOEXEC
  if (!file) return fail(Error::internal("cannot open " + file_path + ": " + std::strerror(errno)));
  struct stat st {};
  if (::fstat(::fileno(file.get()), &st) != 0 || !S_ISREG(st.st_mode)) {
    return fail(Error::internal("not a readable file: " + file_path));
  }

  // The payload's SHA-256 is signed: S3 refuses the PUT if the bytes it got
  // differ. One extra read of a file that is in the page cache anyway.
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  std::vector<unsigned char> buf(kHashBufferBytes);
  std::uint64_t size = 0;
  while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), file.get())) {
    crypto_hash_sha256_update(&sha, buf.data(), n);
    size += n;
  }
  if (std::ferror(file.get())) return fail(Error::internal("cannot read " + file_path));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&sha, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  std::rewind(file.get());

  const Impl::Upload upload{file.get(), size, hex, std::string(content_type)};
  auto r = impl_->send("PUT", key, &upload);
  if (!r) return fail(std::move(r).error());
  if (r->status != 200) return fail(Impl::s3_error("PUT", *r));
  return chat::BlobInfo{size, r->etag, std::string(content_type)};
}

chat::Result<void> S3BlobStore::remove(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  auto r = impl_->send("DELETE", key, nullptr);
  if (!r) return fail(std::move(r).error());
  // 204 whether or not the key was there; 404 from look-alikes that tell.
  if (r->status == 204 || r->status == 200) return {};
  if (r->status == 404 && xml_field(r->body, "Code") != "NoSuchBucket") return {};
  return fail(Impl::s3_error("DELETE", *r));
}

chat::Result<chat::BlobInfo> S3BlobStore::stat(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  auto r = impl_->send("HEAD", key, nullptr);
  if (!r) return fail(std::move(r).error());
  // A HEAD answer has no body to tell a missing key from a missing bucket.
  if (r->status == 404) return fail(Error::not_found("no blob under this key"));
  if (r->status != 200) return fail(Impl::s3_error("HEAD", *r));
  if (!r->content_length) return fail(Error::internal("S3 HEAD answered without Content-Length"));
  return chat::BlobInfo{*r->content_length, r->etag, r->content_type};
}

chat::Result<chat::BlobLocation> S3BlobStore::locate(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  const Impl& impl = *impl_;
  if (impl.cloudfront) {
    const Endpoint& cf = *impl.cloudfront;
    return chat::BlobLocation(
        chat::BlobRedirect{cf.scheme + "://" + cf.authority + cf.base_path + "/" + sigv4::uri_encode(key, true), {}});
  }
  // Signed at the start of the current minute, so that every request for
  // the image within that minute gets the same URL and the browser's cache
  // can answer; the URL then works for the expiry less up to 59 s.
  const std::int64_t now_s = impl.clock.now_ms() / 1000;
  const std::int64_t expiry_s = impl.settings.presign_expiry.count();
  const std::int64_t signed_at = expiry_s >= 120 ? now_s - now_s % 60 : now_s;
  const std::string date = sigv4::amz_date(signed_at);
  sigv4::Request request{"GET", impl.path_of(key), {}, {{"host", impl.endpoint.authority}}, ""};
  const std::string query = sigv4::presign_query(impl.credentials, impl.scope, date, expiry_s, request);
  return chat::BlobLocation(
      chat::BlobRedirect{impl.url_of(key) + "?" + query, std::chrono::seconds(signed_at + expiry_s - now_s)});
}

}  // namespace chattwo::media::s3
