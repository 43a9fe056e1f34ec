#pragma once
// The HTTP request and response as api/ sees them: plain structs, so that
// handlers and their tests never touch Beast. net/ converts at the edge.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chattwo::api {

enum class Method { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(Method m);
/// True for methods that change state and so need CSRF protection.
inline bool is_unsafe(Method m) {
  return m == Method::post || m == Method::put || m == Method::patch || m == Method::delete_;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::get;
  std::string path;   // percent-encoded, without the query
  std::string query;  // after '?', percent-encoded
  Headers headers;    // names in lower case
  std::string body;
  std::string remote_address;      // the peer's IP
  bool remote_is_loopback = false;
  std::string request_id;
  std::map<std::string, std::string, std::less<>> path_params;  // decoded, set by the router

  /// The first header named `name` (lower case), or "" when absent.
  std::string_view header(std::string_view name) const;
  /// The decoded value of query parameter `name`.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  std::string_view header(std::string_view name) const;
};

using Handler = std::function<Response(Request&)>;

/// Where a handler runs. Password hashing has a pool of its own, so a flood
/// of logins (each ~64 MiB and tens of ms of Argon2id) can't starve storage
/// work or /readyz, and bounds the memory hashing takes.
enum class Runs {
  inline_on_network_thread,  // cheap and non-blocking only: no storage, no hashing
  on_storage_workers,
  on_hashing_workers,
};

/// One endpoint. `pattern` segments in braces are parameters: "/api/v1/users/{id}".
struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  std::size_t max_body_bytes = 0;  // 0: the request must have no body
  Runs runs = Runs::on_storage_workers;
};

/// Decodes %XX escapes (and nothing else); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace chattwo::api
