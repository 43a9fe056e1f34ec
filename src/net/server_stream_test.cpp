// net::Server with streamed bodies, over real sockets: a route with
// open_body (uploads) and routes whose responses stream from a ResponseBody
// (downloads), on 127.0.0.1 port 0. The client is plain POSIX sockets, so
// the test sees exactly the bytes on the wire. Nothing here waits on time:
// a receive timeout only keeps a broken server from hanging the test.
#include "net/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/byte_ranges.hpp"
#include "api/problem.hpp"

namespace chattwo::net {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;
constexpr std::size_t kUploadLimit = 6 * kMiB;
constexpr std::size_t kChunkBytes = 64 * 1024;  // the server's kStreamChunkBytes

std::string pseudo_random_bytes(std::size_t n, std::uint64_t seed) {
  std::string out(n, '\0');
  std::uint64_t x = seed;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

// FNV-1a 64, fed piece by piece: equal for the same bytes in the same order,
// however they were split.
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }
};
std::string fnv(std::string_view bytes) {
  Fnv f;
  f.add(bytes);
  return f.hex();
}

// What the routes saw, for the test to check afterwards.
struct Seen {
  std::mutex mutex;
  int opened = 0;          // open_body calls
  int sinks = 0;           // sinks made
  int finished = 0;        // finish() calls
  int destroyed = 0;       // sinks destroyed
  std::size_t writes = 0;  // write() calls
  std::size_t bytes_written = 0;
  std::size_t largest_write = 0;
  std::size_t reads = 0;  // ResponseBody reads
  std::size_t largest_read = 0;
  std::set<std::thread::id> threads;  // where sink and reader calls ran
};

class HashSink final : public api::BodySink {
 public:
  HashSink(Seen& seen, bool refuse_first) : seen_(seen), refuse_first_(refuse_first) {}
  ~HashSink() override {
    std::lock_guard lock(seen_.mutex);
    ++seen_.destroyed;
    seen_.threads.insert(std::this_thread::get_id());
  }
  std::optional<api::Response> write(std::string_view chunk) override {
    {
      std::lock_guard lock(seen_.mutex);
      ++seen_.writes;
      seen_.bytes_written += chunk.size();
      seen_.largest_write = std::max(seen_.largest_write, chunk.size());
      seen_.threads.insert(std::this_thread::get_id());
    }
    if (chunk.empty()) return api::problem(chat::Code::internal, "an empty chunk");
    hash_.add(chunk);
    bytes_ += chunk.size();
    if (refuse_first_) return api::problem(chat::Code::unsupported_media_type, "not an image");
    return std::nullopt;
  }
  api::Response finish() override {
    {
      std::lock_guard lock(seen_.mutex);
      ++seen_.finished;
      seen_.threads.insert(std::this_thread::get_id());
    }
    api::Response r;
    r.status = 201;
    r.body = std::to_string(bytes_) + " " + hash_.hex();
    return r;
  }

 private:
  Seen& seen_;
  const bool refuse_first_;
  Fnv hash_;
  std::size_t bytes_ = 0;
};

// A blob in memory; with `fail_at`, reads from that offset on fail.
class MemoryReader final : public chat::BlobReader {
 public:
  MemoryReader(const std::string& bytes, Seen& seen, std::uint64_t fail_at)
      : bytes_(bytes), seen_(seen), fail_at_(fail_at) {}
  chat::Result<std::size_t> read(std::uint64_t offset, std::span<char> out) override {
    {
      std::lock_guard lock(seen_.mutex);
      ++seen_.reads;
      seen_.largest_read = std::max(seen_.largest_read, out.size());
      seen_.threads.insert(std::this_thread::get_id());
    }
    if (offset >= fail_at_) return chat::fail({chat::Code::internal, "disk on fire"});
    if (offset >= bytes_.size()) return std::size_t{0};
    const std::size_t n = std::min<std::size_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  const std::string& bytes_;
  Seen& seen_;
  const std::uint64_t fail_at_;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  bool complete = false;  // the whole body (per Content-Length) arrived

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return {};
  }
  bool has_header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return true;
    }
    return false;
  }
};

// One blocking TCP connection. send() and the reads may run on two threads
// at once (one sends a body while the other reads the early answer).
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // Only so that a broken server fails the test instead of hanging it.
    timeval guard{60, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  /// False once the server stops taking bytes (closed or reset).
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// The next response; `no_body` for an answer to HEAD. complete is false
  /// when the connection ended before the body did.
  HttpResponse read_response(bool no_body = false) {
    HttpResponse r;
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    const std::string head = pending_.substr(0, end + 2);
    pending_.erase(0, end + 4);
    r.status = std::stoi(head.substr(9, 3));
    std::size_t line = head.find("\r\n") + 2;
    while (line < head.size()) {
      const auto eol = head.find("\r\n", line);
      const std::string field = head.substr(line, eol - line);
      const auto colon = field.find(':');
      std::string name = field.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(std::move(name), std::move(value));
      line = eol + 2;
    }
    if (no_body || r.status / 100 == 1 || r.status == 204 || r.status == 304) {
      r.complete = true;
      return r;
    }
    const std::size_t length = std::stoull(r.header("content-length"));
    while (pending_.size() < length) {
      if (!fill()) {
        r.body = std::move(pending_);
        pending_.clear();
        return r;
      }
    }
    r.body = pending_.substr(0, length);
    pending_.erase(0, length);
    r.complete = true;
    return r;
  }

  /// True when the server has closed its side and nothing more is unread.
  bool closed_by_server() {
    if (!pending_.empty()) return false;
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char buf[64 * 1024];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

std::string head_of(std::string_view method, std::string_view path, std::string_view fields = {}) {
  return std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(fields) +
         "\r\n";
}

// `body` in chunked transfer-coding, cut at sizes that straddle the
// server's 64 KiB chunk, one with a chunk extension, and a trailer.
std::string chunked(std::string_view body) {
  static constexpr std::size_t kSizes[] = {1, 7, 4096, 65535, 65536, 65537, 100000, 333, 200000};
  std::string out;
  std::size_t i = 0;
  while (!body.empty()) {
    const std::size_t n = std::min(kSizes[i % std::size(kSizes)], body.size());
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx%s\r\n", n, i == 3 ? ";note=ext" : "");
    out += size_line;
    out.append(body.substr(0, n));
    out += "\r\n";
    body.remove_prefix(n);
    ++i;
  }
  out += "0\r\nX-Trailer: yes\r\n\r\n";
  return out;
}

class StreamingServer : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = pseudo_random_bytes(3 * kMiB, 7);

    api::Route upload{api::Method::post, "/upload", nullptr, kUploadLimit};
    upload.open_body = [this](api::Request& head) -> api::BodyOpening {
      std::lock_guard lock(seen_.mutex);
      ++seen_.opened;
      seen_.threads.insert(std::this_thread::get_id());
      if (head.header("x-refuse") == "now") return api::problem(chat::Code::forbidden, "not yours");
      ++seen_.sinks;
      return std::make_unique<HashSink>(seen_, head.header("x-refuse") == "after-first");
    };
    router_.add(std::move(upload));
    router_.add({api::Method::get, "/file", [this](api::Request& req) {
                   chat::LocalBlob blob{{file_.size(), "f1", "application/octet-stream"},
                                        std::make_unique<MemoryReader>(file_, seen_, UINT64_MAX)};
                   auto r = api::blob_response(req, std::move(blob));
                   r.set_header("Cache-Control", "private, max-age=31536000, immutable");
                   return r;
                 }});
    router_.add({api::Method::get, "/broken-file", [this](api::Request& req) {
                   chat::LocalBlob blob{{file_.size(), "f1", "application/octet-stream"},
                                        std::make_unique<MemoryReader>(file_, seen_, kMiB)};
                   return api::blob_response(req, std::move(blob));
                 }});
    router_.add({api::Method::get, "/ping",
                 [](api::Request&) {
                   api::Response r;
                   r.body = "pong";
                   return r;
                 },
                 0, api::Runs::inline_on_network_thread});

    ServerSettings settings;
    settings.listen = {"127.0.0.1", 0};
    settings.threads = 1;
    server_ = std::make_unique<Server>(settings, ServerParts{router_, nullptr, nullptr, storage_, hashing_, metrics_,
                                                             health_, nullptr});
    server_->bind();
    port_ = server_->local_endpoint().port;
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    const std::thread::id network_thread = thread_.get_id();  // the server has one: it runs here
    server_->request_stop();
    thread_.join();
    // Sink and reader calls never ran on the network thread.
    std::lock_guard lock(seen_.mutex);
    EXPECT_FALSE(seen_.threads.contains(network_thread)) << "a blocking call ran on the network thread";
  }

  // Sends `request` on a thread of its own while this one reads the answer,
  // as a client does: an early answer arrives while the body is still going.
  HttpResponse exchange(Client& client, const std::string& request) {
    std::thread sender([&client, &request] { client.send(request); });
    HttpResponse r = client.read_response();
    sender.join();
    return r;
  }

  HttpResponse ping(Client& client) {
    client.send(head_of("GET", "/ping"));
    return client.read_response();
  }

  base::WorkerPool storage_{2, 64, "t-storage"};
  base::WorkerPool hashing_{1, 8, "t-hash"};
  ops::Registry metrics_;
  ops::Health health_;
  Router router_;
  std::string file_;
  Seen seen_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(StreamingServer, ContentLengthUploadArrivesWholeAndInOrder) {
  const std::string body = pseudo_random_bytes(5 * kMiB, 1);
  Client client(port_);
  ASSERT_TRUE(client.connected());
  const auto r =
      exchange(client, head_of("POST", "/upload", "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, std::to_string(body.size()) + " " + fnv(body));
  EXPECT_EQ(r.header("connection"), "");  // keep-alive: the body was read to its end
  {
    std::lock_guard lock(seen_.mutex);
    EXPECT_EQ(seen_.finished, 1);
    EXPECT_EQ(seen_.destroyed, 1);
    EXPECT_GE(seen_.writes, body.size() / kChunkBytes);
    EXPECT_LE(seen_.largest_write, kChunkBytes);
  }
  // The same connection goes on.
  EXPECT_EQ(ping(client).body, "pong");
}

TEST_F(StreamingServer, ChunkedUploadArrivesWholeAndInOrder) {
  const std::string body = pseudo_random_bytes(5 * kMiB, 2);
  Client client(port_);
  ASSERT_TRUE(client.connected());
  const auto r = exchange(client, head_of("POST", "/upload", "Transfer-Encoding: chunked\r\n") + chunked(body));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, std::to_string(body.size()) + " " + fnv(body));
  {
    std::lock_guard lock(seen_.mutex);
    EXPECT_EQ(seen_.bytes_written, body.size());
    EXPECT_LE(seen_.largest_write, kChunkBytes);
  }
  EXPECT_EQ(ping(client).body, "pong");
}

TEST_F(StreamingServer, AnEmptyBodyGoesStraightToFinish) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("POST", "/upload", "Content-Length: 0\r\n"));
  const auto r = client.read_response();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "0 " + fnv(""));
  EXPECT_EQ(ping(client).body, "pong");
}

TEST_F(StreamingServer, ExpectContinueIsAnsweredOnceTheSinkIsOpen) {
  const std::string body = pseudo_random_bytes(kMiB, 3);
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("POST", "/upload",
                      "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"));
  const auto go_on = client.read_response();
  EXPECT_EQ(go_on.status, 100);
  const auto r = exchange(client, body);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, std::to_string(body.size()) + " " + fnv(body));
}

TEST_F(StreamingServer, OpenBodyAnswersBeforeAnyOfTheBodyIsSent) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  // Only the head goes out: the answer can't wait for the body. No 100
  // Continue either: the client must not send the body at all.
  client.send(head_of("POST", "/upload",
                      "X-Refuse: now\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(5 * kMiB) + "\r\n"));
  const auto r = client.read_response();
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.opened, 1);
  EXPECT_EQ(seen_.sinks, 0);
}

TEST_F(StreamingServer, ASinksEarlyAnswerIsSentAndTheRestIsNotPassedOn) {
  const std::string body = pseudo_random_bytes(5 * kMiB, 4);
  Client client(port_);
  ASSERT_TRUE(client.connected());
  const auto r = exchange(client, head_of("POST", "/upload",
                                          "X-Refuse: after-first\r\nContent-Length: " + std::to_string(body.size()) +
                                              "\r\n") +
                                      body);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.writes, 1u);
  EXPECT_EQ(seen_.finished, 0);
  EXPECT_EQ(seen_.destroyed, 1);
}

TEST_F(StreamingServer, ADeclaredLengthOverTheLimitIs413BeforeTheRouteRuns) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("POST", "/upload", "Content-Length: " + std::to_string(kUploadLimit + 1) + "\r\n"));
  const auto r = client.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_TRUE(client.closed_by_server());
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.opened, 0);
}

TEST_F(StreamingServer, AChunkedBodyOverTheLimitIsCutOffWith413) {
  const std::string body = pseudo_random_bytes(kUploadLimit + kMiB, 5);
  Client client(port_);
  ASSERT_TRUE(client.connected());
  const auto r = exchange(client, head_of("POST", "/upload", "Transfer-Encoding: chunked\r\n") + chunked(body));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
  std::lock_guard lock(seen_.mutex);
  EXPECT_LE(seen_.bytes_written, kUploadLimit);
  EXPECT_EQ(seen_.finished, 0);
  EXPECT_EQ(seen_.destroyed, 1);
}

TEST_F(StreamingServer, ADownloadStreamsInChunks) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("GET", "/file"));
  const auto r = client.read_response();
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), std::to_string(3 * kMiB));
  EXPECT_EQ(r.header("content-type"), "application/octet-stream");
  EXPECT_EQ(r.header("etag"), "\"f1\"");
  EXPECT_EQ(r.header("accept-ranges"), "bytes");
  EXPECT_EQ(r.header("cache-control"), "private, max-age=31536000, immutable");
  EXPECT_FALSE(r.has_header("transfer-encoding"));
  EXPECT_TRUE(r.body == file_);
  {
    std::lock_guard lock(seen_.mutex);
    EXPECT_EQ(seen_.reads, 3 * kMiB / kChunkBytes);
    EXPECT_LE(seen_.largest_read, kChunkBytes);
  }
  EXPECT_EQ(ping(client).body, "pong");
}

TEST_F(StreamingServer, RangesOnOneConnection) {
  Client client(port_);
  ASSERT_TRUE(client.connected());

  client.send(head_of("GET", "/file", "Range: bytes=1000000-1999999\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("content-range"), "bytes 1000000-1999999/3145728");
  EXPECT_EQ(r.header("content-length"), "1000000");
  EXPECT_TRUE(r.body == file_.substr(1000000, 1000000));

  client.send(head_of("GET", "/file", "Range: bytes=-100\r\n"));
  r = client.read_response();
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("content-range"), "bytes 3145628-3145727/3145728");
  EXPECT_TRUE(r.body == file_.substr(file_.size() - 100));

  client.send(head_of("GET", "/file", "Range: bytes=3145728-\r\n"));
  r = client.read_response();
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.header("content-range"), "bytes */3145728");
  EXPECT_EQ(r.header("content-type"), "application/problem+json");

  client.send(head_of("GET", "/file", "Range: bytes=0-0,5-5\r\n"));  // several ranges: the whole
  r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), file_.size());

  EXPECT_EQ(ping(client).body, "pong");
}

TEST_F(StreamingServer, HeadSendsTheHeadAlone) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("HEAD", "/file"));
  const auto r = client.read_response(/*no_body=*/true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), std::to_string(3 * kMiB));
  EXPECT_EQ(r.header("etag"), "\"f1\"");
  // Had any body byte gone out, this would read it as the next response.
  EXPECT_EQ(ping(client).body, "pong");
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.reads, 0u);
}

TEST_F(StreamingServer, IfNoneMatchIs304WithoutABody) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("GET", "/file", "If-None-Match: \"f0\", \"f1\"\r\n"));
  const auto r = client.read_response();
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.header("etag"), "\"f1\"");
  EXPECT_EQ(r.header("cache-control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(ping(client).body, "pong");
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.reads, 0u);
}

TEST_F(StreamingServer, AReadErrorMidwayEndsTheConnection) {
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.send(head_of("GET", "/broken-file"));
  const auto r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.complete);  // the head promised 3 MiB; the client sees it cut short
  EXPECT_EQ(r.body.size(), kMiB);
}

}  // namespace
}  // namespace chattwo::net
