#pragma once
// The benchmark's accounts and rooms, made over the REST API before any
// WebSocket opens. Blocking: each call runs its own small io_context on the
// calling thread (setup speed is bounded by the server's password hashing,
// not by this client).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chattwo::bench {

/// Where the server is: what to connect to and what to send as Host.
struct Target {
  std::string host;         // as in the URL, for Host and the STOMP host header
  std::string port;
  std::string host_header;  // host[:port] as in the URL
};

/// One signed-up user and its bearer token.
struct Account {
  std::string id;
  std::string token;
};

/// A keep-alive HTTP/1.1 JSON client for one thread. Every call blocks for
/// at most `timeout`; a broken connection is reopened on the next call.
class HttpClient {
 public:
  HttpClient(Target target, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  struct Response {
    int status = 0;  // 0: no answer (connect or I/O failure; `body` says why)
    std::string body;
    std::vector<std::string> set_cookies;
  };
  /// Sends `body` (JSON, or none when empty) with the given extra headers.
  Response request(std::string_view method, std::string_view path, std::string_view body,
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Signs up user `index` of run `run_id` and mints a bearer token for it:
/// POST /auth/signup, then POST /auth/tokens with the new session (cookie +
/// X-CSRF-Token, which costs the server no second password hash), falling
/// back to email + password. nullopt with `error` set on failure.
std::optional<Account> create_account(HttpClient& http, const std::string& run_id, std::size_t index,
                                      std::string& error);

/// Creates `count` accounts with `parallel` threads, each with its own
/// connection. `progress` is called (from one of them) with the number
/// done so far, at most about once a second. Failed slots are nullopt;
/// the first few failures are printed to stderr.
std::vector<std::optional<Account>> create_accounts(const Target& target, const std::string& run_id,
                                                    std::size_t count, std::size_t parallel,
                                                    const std::function<void(std::size_t)>& progress);

/// Creates a group room named `name` owned by `owner` with `member_ids`
/// (the owner need not be among them), adding members past the first
/// 1,000 in chunks of 1,000 with POST /rooms/{id}/members. nullopt with
/// `error` set on failure.
std::optional<std::string> create_room(HttpClient& http, const Account& owner,
                                       const std::vector<std::string>& member_ids, const std::string& name,
                                       std::string& error);

}  // namespace chattwo::bench
