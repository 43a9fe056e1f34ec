// The contract of BlobStore, for every adapter: the folder always; S3 when
// CHATTWO_TEST_S3_ENDPOINT names an S3 API (scripts/services/s3rver-start
// starts one; scripts/test and .ci/run do so by themselves). Without it the
// S3 cases skip with the reason, unless CHATTWO_REQUIRE_SERVICES=1 (CI),
// where a skip fails.
//
// Bytes are read back as a client would get them: through the LocalBlob's
// reader, or by following the redirect with libcurl.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>  // mkdtemp, getenv
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "chat/blob_store.hpp"
#include "chat/clock.hpp"
#include "media/fs/fs_blob_store.hpp"
#include "media/s3/s3_blob_store.hpp"

namespace chattwo::media::contract {
namespace {

namespace stdfs = std::filesystem;
using chat::BlobStore;
using chat::Code;

std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

bool services_required() { return env("CHATTWO_REQUIRE_SERVICES") == "1"; }

stdfs::path make_temp_dir(const char* prefix) {
  std::string pattern = (stdfs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string random_hex(std::size_t n) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n, '0');
  for (char& c : out) c = kDigits[rng() % 16];
  return out;
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// s3rver's built-in account; a real bucket needs CHATTWO_TEST_S3_ACCESS_KEY_ID/_SECRET_ACCESS_KEY.
media::s3::S3BlobStoreSettings s3_test_settings() {
  media::s3::S3BlobStoreSettings s;
  s.endpoint = env("CHATTWO_TEST_S3_ENDPOINT");
  s.region = env("CHATTWO_TEST_S3_REGION", "us-east-1");
  s.bucket = env("CHATTWO_TEST_S3_BUCKET", "chattwo-test");
  s.access_key_id = env("CHATTWO_TEST_S3_ACCESS_KEY_ID", "S3RVER");
  s.secret_access_key = env("CHATTWO_TEST_S3_SECRET_ACCESS_KEY", "S3RVER");
  s.path_style = env("CHATTWO_TEST_S3_PATH_STYLE", "1") == "1";
  s.connect_timeout = std::chrono::milliseconds(2000);
  s.request_timeout = std::chrono::milliseconds(20000);
  return s;
}

/// A fresh store on one backend, or the reason there is none here.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<BlobStore>(std::string& skip_reason)> make;
};

void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class FsOwner final : public BlobStore {
 public:
  FsOwner() : dir_(make_temp_dir("chattwo-blobs")), store_(fs::FsBlobStoreSettings{dir_.string()}) {}
  ~FsOwner() override {
    std::error_code ec;
    stdfs::remove_all(dir_, ec);
  }
  chat::Result<chat::BlobInfo> put(std::string_view k, const std::string& p, std::string_view t) override {
    return store_.put(k, p, t);
  }
  chat::Result<void> remove(std::string_view k) override { return store_.remove(k); }
  chat::Result<chat::BlobInfo> stat(std::string_view k) override { return store_.stat(k); }
  chat::Result<chat::BlobLocation> locate(std::string_view k) override { return store_.locate(k); }

 private:
  stdfs::path dir_;
  fs::FsBlobStore store_;
};

chat::SystemClock g_clock;

std::unique_ptr<BlobStore> make_s3(std::string& skip_reason, bool cloudfront) {
  auto s = s3_test_settings();
  if (s.endpoint.empty()) {
    skip_reason = "CHATTWO_TEST_S3_ENDPOINT is not set (scripts/services/s3rver-start starts s3rver)";
    return nullptr;
  }
  // s3rver serves anonymous GETs, so its own path-style URL can stand in
  // for a CloudFront distribution in front of the bucket.
  if (cloudfront) s.cloudfront_url = s.endpoint + "/" + s.bucket;
  return std::make_unique<media::s3::S3BlobStore>(s, g_clock);
}

std::vector<Backend> backends() {
  return {
      {"Fs", [](std::string&) -> std::unique_ptr<BlobStore> { return std::make_unique<FsOwner>(); }},
      {"S3", [](std::string& why) { return make_s3(why, false); }},
      {"S3CloudFront", [](std::string& why) { return make_s3(why, true); }},
  };
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct Fetched {
  long status = 0;
  std::string body;
};

// GET `url` as a browser following the redirect would (no credentials).
Fetched http_get(const std::string& url) {
  Fetched out;
  CURL* h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_cleanup(h);
  EXPECT_EQ(code, CURLE_OK) << curl_easy_strerror(code) << " for " << url;
  return out;
}

class BlobStoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string why;
    store_ = GetParam().make(why);
    if (!store_) {
      if (services_required()) FAIL() << "CHATTWO_REQUIRE_SERVICES=1 but " << why;
      GTEST_SKIP() << why;
    }
    files_ = make_temp_dir("chattwo-blob-src");
    // Tests share a bucket (and run in parallel under ctest): each works
    // under a prefix of its own.
    prefix_ = "t" + random_hex(16) + "/";
  }
  void TearDown() override {
    std::error_code ec;
    if (!files_.empty()) stdfs::remove_all(files_, ec);
  }

  BlobStore& store() { return *store_; }
  std::string key(const std::string& k) const { return prefix_ + k; }

  /// A local file holding `bytes`: what put() is given.
  std::string file(const std::string& bytes) {
    const auto path = files_ / ("src-" + std::to_string(next_file_++));
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  /// The bytes a client gets for `k`, read the way the location says;
  /// nullopt when it says the key is missing.
  std::optional<std::string> fetch(const std::string& k) {
    auto where = store().locate(k);
    if (!where) {
      EXPECT_EQ(where.error().code, Code::not_found) << where.error().detail;
      return std::nullopt;
    }
    if (auto* local = std::get_if<chat::LocalBlob>(&*where)) {
      std::string out;
      std::vector<char> buf(4096);  // small chunks: many reads per blob
      for (;;) {
        auto n = local->reader->read(out.size(), buf);
        EXPECT_TRUE(n) << n.error().detail;
        if (!n || *n == 0) break;
        out.append(buf.data(), *n);
      }
      EXPECT_EQ(out.size(), local->info.size);
      return out;
    }
    const auto& redirect = std::get<chat::BlobRedirect>(*where);
    EXPECT_GE(redirect.valid_for.count(), 0);
    Fetched got = http_get(redirect.url);
    if (got.status == 404) return std::nullopt;
    EXPECT_EQ(got.status, 200) << redirect.url << "\n" << got.body;
    return got.body;
  }

  std::unique_ptr<BlobStore> store_;
  stdfs::path files_;
  std::string prefix_;
  int next_file_ = 0;
};

TEST_P(BlobStoreContract, PutThenStatAndFetch) {
  const std::string bytes = "\xff\xd8\xff\xe0 not really a jpeg \x00\x01\x02" + std::string(100, 'x');
  auto put = store().put(key("img/01ARZ/full.jpg"), file(bytes), "image/jpeg");
  ASSERT_TRUE(put) << put.error().detail;
  EXPECT_EQ(put->size, bytes.size());
  EXPECT_FALSE(put->etag.empty());
  EXPECT_EQ(put->etag.find('"'), std::string::npos);
  EXPECT_EQ(put->content_type, "image/jpeg");

  auto stat = store().stat(key("img/01ARZ/full.jpg"));
  ASSERT_TRUE(stat) << stat.error().detail;
  EXPECT_EQ(stat->size, bytes.size());
  EXPECT_EQ(stat->etag, put->etag);
  EXPECT_EQ(stat->content_type, "image/jpeg");

  EXPECT_EQ(fetch(key("img/01ARZ/full.jpg")), bytes);
}

TEST_P(BlobStoreContract, BytesAreStreamedWhole) {
  // Larger than every buffer on the way (64 KiB copy buffers, curl's 16 KiB).
  const std::string bytes = random_bytes(3 * 1024 * 1024 + 17, 7);
  auto put = store().put(key("img/big/full.png"), file(bytes), "image/png");
  ASSERT_TRUE(put) << put.error().detail;
  EXPECT_EQ(put->size, bytes.size());
  EXPECT_EQ(fetch(key("img/big/full.png")), bytes);
}

TEST_P(BlobStoreContract, EmptyBlob) {
  auto put = store().put(key("empty.bin"), file(""), "application/octet-stream");
  ASSERT_TRUE(put) << put.error().detail;
  EXPECT_EQ(put->size, 0u);
  auto stat = store().stat(key("empty.bin"));
  ASSERT_TRUE(stat) << stat.error().detail;
  EXPECT_EQ(stat->size, 0u);
  EXPECT_EQ(fetch(key("empty.bin")), std::string());
}

TEST_P(BlobStoreContract, OverwriteReplacesBytesTypeAndEtag) {
  auto first = store().put(key("img/a/thumb.jpg"), file("first version"), "image/jpeg");
  ASSERT_TRUE(first) << first.error().detail;
  auto second = store().put(key("img/a/thumb.jpg"), file("the second, longer version"), "image/webp");
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_NE(second->etag, first->etag);

  auto stat = store().stat(key("img/a/thumb.jpg"));
  ASSERT_TRUE(stat) << stat.error().detail;
  EXPECT_EQ(stat->etag, second->etag);
  EXPECT_EQ(stat->size, std::string("the second, longer version").size());
  EXPECT_EQ(stat->content_type, "image/webp");
  EXPECT_EQ(fetch(key("img/a/thumb.jpg")), "the second, longer version");
}

TEST_P(BlobStoreContract, SameBytesSameEtag) {
  auto a = store().put(key("x/1.png"), file("identical"), "image/png");
  auto b = store().put(key("x/1.png"), file("identical"), "image/png");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->etag, b->etag);
}

TEST_P(BlobStoreContract, RemoveMakesItMissingAndIsIdempotent) {
  ASSERT_TRUE(store().put(key("img/r/full.gif"), file("GIF89a..."), "image/gif"));
  ASSERT_TRUE(store().put(key("img/r/thumb.gif"), file("GIF89a"), "image/gif"));
  auto removed = store().remove(key("img/r/full.gif"));
  ASSERT_TRUE(removed) << removed.error().detail;

  auto stat = store().stat(key("img/r/full.gif"));
  ASSERT_FALSE(stat);
  EXPECT_EQ(stat.error().code, Code::not_found);
  EXPECT_EQ(fetch(key("img/r/full.gif")), std::nullopt);
  EXPECT_TRUE(store().remove(key("img/r/full.gif")));
  // Its neighbour is untouched.
  EXPECT_EQ(fetch(key("img/r/thumb.gif")), "GIF89a");
}

TEST_P(BlobStoreContract, MissingKey) {
  auto stat = store().stat(key("never/put.jpg"));
  ASSERT_FALSE(stat);
  EXPECT_EQ(stat.error().code, Code::not_found);
  EXPECT_EQ(fetch(key("never/put.jpg")), std::nullopt);
  EXPECT_TRUE(store().remove(key("never/put.jpg")));
  // A prefix of stored keys is not a key.
  ASSERT_TRUE(store().put(key("dir/leaf.jpg"), file("leaf"), "image/jpeg"));
  EXPECT_EQ(store().stat(key("dir")).error().code, Code::not_found);
}

TEST_P(BlobStoreContract, BadKeysAndTypesAreValidationErrors) {
  const std::string src = file("bytes");
  for (const std::string& bad : {std::string("../escape.jpg"), std::string("/etc/passwd"), key("a//b.jpg"),
                                key("a/../../b.jpg"), key("a b.jpg"), key(".hidden"), key("trailing/"),
                                std::string()}) {
    auto put = store().put(bad, src, "image/jpeg");
    ASSERT_FALSE(put) << bad;
    EXPECT_EQ(put.error().code, Code::validation) << bad;
    EXPECT_EQ(put.error().field, "key");
    EXPECT_EQ(store().stat(bad).error().code, Code::validation) << bad;
    EXPECT_EQ(store().remove(bad).error().code, Code::validation) << bad;
    EXPECT_EQ(store().locate(bad).error().code, Code::validation) << bad;
  }
  for (const char* bad_type : {"", "jpeg", "image/jpeg\r\nSet-Cookie: x=1"}) {
    auto put = store().put(key("ok.jpg"), src, bad_type);
    ASSERT_FALSE(put) << bad_type;
    EXPECT_EQ(put.error().code, Code::validation);
    EXPECT_EQ(put.error().field, "content_type");
  }
  EXPECT_EQ(store().stat(key("ok.jpg")).error().code, Code::not_found);
}

TEST_P(BlobStoreContract, UnreadableSourceStoresNothing) {
  auto put = store().put(key("img/n/full.jpg"), (files_ / "no-such-file").string(), "image/jpeg");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, Code::internal);
  EXPECT_EQ(store().stat(key("img/n/full.jpg")).error().code, Code::not_found);
}

TEST_P(BlobStoreContract, ConcurrentPutsFromWorkerThreads) {
  constexpr int kThreads = 4, kEach = 5;
  std::vector<std::string> sources;
  for (int t = 0; t < kThreads; ++t) sources.push_back(file("thread " + std::to_string(t)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Pairs share a folder, so folder creation races too.
        if (!store().put(key("img/c" + std::to_string(i) + "/t" + std::to_string(t) + ".jpg"), sources[t], "image/jpeg")) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      auto stat = store().stat(key("img/c" + std::to_string(i) + "/t" + std::to_string(t) + ".jpg"));
      ASSERT_TRUE(stat) << stat.error().detail;
      EXPECT_EQ(stat->size, ("thread " + std::to_string(t)).size());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, BlobStoreContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

// What only the local adapter promises: a reader opened before an
// overwrite or a remove keeps reading the bytes it was opened on, and any
// range can be read.
TEST(FsBlobStoreReader, RangesAndStability) {
  FsOwner store;
  const auto dir = make_temp_dir("chattwo-blob-src");
  const auto src = (dir / "a").string();
  std::ofstream(src, std::ios::binary) << "0123456789";
  ASSERT_TRUE(store.put("k.txt", src, "text/plain"));
  auto where = store.locate("k.txt");
  ASSERT_TRUE(where);
  auto& local = std::get<chat::LocalBlob>(*where);
  EXPECT_EQ(local.info.size, 10u);
  EXPECT_EQ(local.info.content_type, "text/plain");

  std::ofstream(src, std::ios::binary | std::ios::trunc) << "abc";
  ASSERT_TRUE(store.put("k.txt", src, "text/plain"));
  ASSERT_TRUE(store.remove("k.txt"));

  char buf[4];
  auto n = local.reader->read(3, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), "3456");
  n = local.reader->read(8, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), "89");
  n = local.reader->read(10, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0u);
  n = local.reader->read(1000, buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0u);
  std::error_code ec;
  stdfs::remove_all(dir, ec);
}

// What only S3 shows: presigned URLs really expire, and failures of the
// service come back as the port's codes.
class S3Only : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = s3_test_settings();
    if (settings_.endpoint.empty()) {
      if (services_required()) FAIL() << "CHATTWO_REQUIRE_SERVICES=1 but CHATTWO_TEST_S3_ENDPOINT is not set";
      GTEST_SKIP() << "CHATTWO_TEST_S3_ENDPOINT is not set";
    }
    dir_ = make_temp_dir("chattwo-blob-src");
    src_ = (dir_ / "src").string();
    std::ofstream(src_, std::ios::binary) << "bytes";
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) stdfs::remove_all(dir_, ec);
  }
  media::s3::S3BlobStoreSettings settings_;
  stdfs::path dir_;
  std::string src_;
};

class ShiftedClock final : public chat::Clock {
 public:
  explicit ShiftedClock(std::int64_t shift_ms) : shift_ms_(shift_ms) {}
  std::int64_t now_ms() override { return chat::SystemClock().now_ms() + shift_ms_; }
  std::int64_t shift_ms_;
};

TEST_F(S3Only, ExpiredPresignedUrlIsRefused) {
  media::s3::S3BlobStore store(settings_, g_clock);
  const std::string k = "t" + random_hex(16) + "/img/e/full.jpg";
  ASSERT_TRUE(store.put(k, src_, "image/jpeg"));

  // Signed two hours ago, valid for one minute.
  ShiftedClock past(-2 * 3600 * 1000);
  auto s = settings_;
  s.presign_expiry = std::chrono::seconds(60);
  media::s3::S3BlobStore old(s, past);
  auto where = old.locate(k);
  ASSERT_TRUE(where);
  Fetched got = http_get(std::get<chat::BlobRedirect>(*where).url);
  EXPECT_EQ(got.status, 403) << got.body;

  auto fresh = store.locate(k);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(http_get(std::get<chat::BlobRedirect>(*fresh).url).body, "bytes");
  EXPECT_TRUE(store.remove(k));
}

TEST_F(S3Only, MissingBucketIsInternal) {
  auto s = settings_;
  s.bucket = "chattwo-no-such-bucket-" + random_hex(8);
  media::s3::S3BlobStore store(s, g_clock);
  auto put = store.put("a.jpg", src_, "image/jpeg");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, Code::internal);
  EXPECT_NE(put.error().detail.find("NoSuchBucket"), std::string::npos) << put.error().detail;
}

TEST_F(S3Only, UnreachableServiceIsUnavailable) {
  // A port nobody listens on: take a free one and let it go.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  auto s = settings_;
  s.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  s.connect_timeout = std::chrono::milliseconds(500);
  media::s3::S3BlobStore store(s, g_clock);
  auto stat = store.stat("a.jpg");
  ASSERT_FALSE(stat);
  EXPECT_EQ(stat.error().code, Code::unavailable) << stat.error().detail;
}

}  // namespace
}  // namespace chattwo::media::contract
