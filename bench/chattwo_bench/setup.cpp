#include "setup.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

namespace chattwo::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

// Same for every benchmark user; the server for benchmarks hashes cheaply.
constexpr std::string_view kPassword = "bench-password-1";
// Members per POST /rooms or /rooms/{id}/members: keeps each body small.
constexpr std::size_t kMembersPerRequest = 1000;
// Setup failures printed in full; the rest are only counted.
constexpr int kPrintedFailures = 5;

std::string email_of(const std::string& run_id, std::size_t index) {
  return "bench-" + run_id + "-" + std::to_string(index) + "@bench.example.com";
}

std::optional<json::value> parse_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

std::string string_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    const auto* obj = cur->if_object();
    if (obj == nullptr) return {};
    auto it = obj->find(key);
    if (it == obj->end()) return {};
    cur = &it->value();
  }
  if (const auto* s = cur->if_string()) return std::string(*s);
  return {};
}

std::string describe(const HttpClient::Response& r) {
  return r.status == 0 ? r.body : std::to_string(r.status) + " " + r.body.substr(0, 300);
}

}  // namespace

struct HttpClient::Impl {
  Target target;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs the operation started by `start` to completion; the tcp_stream's
  // expiry turns a hang into an error (synchronous Beast calls have no timeout).
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  beast::error_code connect() {
    stream.reset();
    buffer.clear();
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(target.host, target.port, ec);
    if (ec) return ec;
    stream.emplace(ioc);
    stream->expires_after(timeout);
    return run([&](auto handler) { stream->async_connect(endpoints, std::move(handler)); });
  }
};

HttpClient::HttpClient(Target target, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->target = std::move(target);
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

HttpClient::Response HttpClient::request(std::string_view method, std::string_view path, std::string_view body,
                                         const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), path, 11};
  req.set(http::field::host, impl_->target.host_header);
  req.set(http::field::user_agent, "chattwo-bench");
  req.set(http::field::accept, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::string(body);
  }
  req.prepare_payload();
  req.keep_alive(true);

  Response out;
  // A kept-alive connection the server has closed fails on first use; one
  // retry on a fresh connection covers that (setup requests are safe to
  // repeat except signup, whose 409 on a retry is reported as a failure).
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl_->stream.has_value();
    beast::error_code ec;
    if (!reused) ec = impl_->connect();
    if (ec) {
      out.body = "connect: " + ec.message();
      return out;
    }
    impl_->stream->expires_after(impl_->timeout);
    ec = impl_->run([&](auto handler) { http::async_write(*impl_->stream, req, std::move(handler)); });
    http::response<http::string_body> res;
    if (!ec) {
      ec = impl_->run([&](auto handler) {
        http::async_read(*impl_->stream, impl_->buffer, res, std::move(handler));
      });
    }
    if (ec) {
      impl_->stream.reset();
      out.body = "I/O: " + ec.message();
      if (reused) continue;
      return out;
    }
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (auto it = res.find(http::field::set_cookie); it != res.end() && it->name() == http::field::set_cookie;
         ++it) {
      out.set_cookies.emplace_back(it->value());
    }
    if (res.need_eof()) impl_->stream.reset();
    return out;
  }
  return out;
}

std::optional<Account> create_account(HttpClient& http, const std::string& run_id, std::size_t index,
                                      std::string& error) {
  const std::string email = email_of(run_id, index);
  json::object signup{{"email", email}, {"password", kPassword}, {"name", "bench " + std::to_string(index)}};
  auto res = http.request("POST", "/api/v1/auth/signup", json::serialize(signup));
  if (res.status != 201) {
    error = "signup " + email + ": " + describe(res);
    return std::nullopt;
  }
  auto doc = parse_json(res.body);
  Account account;
  std::string csrf;
  if (doc) {
    account.id = string_at(*doc, {"user", "id"});
    csrf = string_at(*doc, {"csrfToken"});
  }
  if (account.id.empty()) {
    error = "signup " + email + ": no user.id in " + res.body.substr(0, 200);
    return std::nullopt;
  }
  std::string cookie;
  for (const auto& c : res.set_cookies) {
    if (c.starts_with("chattwo_session=")) cookie = c.substr(0, c.find(';'));
  }

  HttpClient::Response token_res;
  if (!cookie.empty() && !csrf.empty()) {
    token_res = http.request("POST", "/api/v1/auth/tokens", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  }
  if (token_res.status != 201) {
    json::object login{{"email", email}, {"password", kPassword}};
    token_res = http.request("POST", "/api/v1/auth/tokens", json::serialize(login));
  }
  if (token_res.status == 201) {
    if (auto t = parse_json(token_res.body)) account.token = string_at(*t, {"token"});
  }
  if (account.token.empty()) {
    error = "token for " + email + ": " + describe(token_res);
    return std::nullopt;
  }
  return account;
}

std::vector<std::optional<Account>> create_accounts(const Target& target, const std::string& run_id,
                                                    std::size_t count, std::size_t parallel,
                                                    const std::function<void(std::size_t)>& progress) {
  std::vector<std::optional<Account>> accounts(count);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<int> printed{0};
  std::mutex progress_mutex;
  auto last_progress = std::chrono::steady_clock::now();

  auto worker = [&] {
    HttpClient http(target, std::chrono::seconds(60));
    for (std::size_t i = next++; i < count; i = next++) {
      std::string error;
      accounts[i] = create_account(http, run_id, i, error);
      if (!accounts[i] && printed++ < kPrintedFailures) std::cerr << "setup: " << error << '\n';
      ++done;
      std::unique_lock lock(progress_mutex, std::try_to_lock);
      if (lock && std::chrono::steady_clock::now() - last_progress >= std::chrono::seconds(1)) {
        last_progress = std::chrono::steady_clock::now();
        progress(done.load());
      }
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = std::max<std::size_t>(1, std::min(parallel, count));
  for (std::size_t t = 0; t < n; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return accounts;
}

std::optional<std::string> create_room(HttpClient& http, const Account& owner,
                                       const std::vector<std::string>& member_ids, const std::string& name,
                                       std::string& error) {
  const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + owner.token}};
  std::vector<std::string> others;
  for (const auto& id : member_ids) {
    if (id != owner.id) others.push_back(id);
  }
  const std::size_t first = std::min(others.size(), kMembersPerRequest);
  json::array ids;
  for (std::size_t i = 0; i < first; ++i) ids.emplace_back(others[i]);
  // A name keeps a two-member room a group room (no name: the direct room).
  json::object body{{"memberIds", std::move(ids)}, {"name", name}};
  auto res = http.request("POST", "/api/v1/rooms", json::serialize(body), auth);
  std::string room_id;
  if (res.status == 201 || res.status == 200) {
    if (auto doc = parse_json(res.body)) room_id = string_at(*doc, {"id"});
  }
  if (room_id.empty()) {
    error = "create room " + name + ": " + describe(res);
    return std::nullopt;
  }
  for (std::size_t at = first; at < others.size(); at += kMembersPerRequest) {
    json::array chunk;
    for (std::size_t i = at; i < std::min(others.size(), at + kMembersPerRequest); ++i) chunk.emplace_back(others[i]);
    json::object add{{"userIds", std::move(chunk)}};
    auto r = http.request("POST", "/api/v1/rooms/" + room_id + "/members", json::serialize(add), auth);
    if (r.status != 200 && r.status != 201) {
      error = "add members to room " + room_id + ": " + describe(r);
      return std::nullopt;
    }
  }
  return room_id;
}

}  // namespace chattwo::bench
