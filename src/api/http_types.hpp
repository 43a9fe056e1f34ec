#pragma once
// The HTTP request and response as api/ sees them: plain structs, so that
// handlers and their tests never touch Beast. net/ converts at the edge.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "chat/result.hpp"

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

/// A response body read piece by piece instead of held whole (an image
/// file): the server sends the head with Content-Length: size(), then calls
/// read() on a storage worker for one chunk at a time and writes each before
/// reading the next, so a download holds one chunk in memory. For HEAD it
/// only sends the head and never calls read(). Used by one response at a
/// time, never by two threads at once; destroyed on a network thread, so the
/// destructor must not block (closing a file is fine).
class ResponseBody {
 public:
  virtual ~ResponseBody() = default;
  /// The number of bytes read() yields from offset 0 to the end.
  virtual std::uint64_t size() const = 0;
  /// Copies up to out.size() bytes starting at `offset` (< size()) into
  /// `out` and says how many; fewer only at the end. Blocks (disk I/O).
  /// An error, a throw or a short read before size() ends the connection:
  /// the head already promised size() bytes.
  virtual chat::Result<std::size_t> read(std::uint64_t offset, std::span<char> out) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  /// When set, the body is streamed from here and `body` must be empty.
  std::shared_ptr<ResponseBody> stream;

  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  std::string_view header(std::string_view name) const;
};

using Handler = std::function<Response(Request&)>;

/// Where a streamed request body goes (Route::open_body), e.g. a multipart
/// parser writing an upload to a temporary file. The server calls write()
/// with the body's bytes in order, one call at a time (the next bytes are
/// read from the socket only after the previous call returned), then
/// finish() once at the end of the body. Chunked transfer-coding is already
/// removed. Every call runs where the route's `runs` says (a storage worker
/// by default) and may block.
///
/// The server destroys the sink when the exchange is over, on the same
/// workers (only if their queue is full, on a network thread). A sink that
/// was destroyed without finish() having been called, or after write()
/// answered, saw an incomplete body (the client went away or stalled, the
/// body went over the route's limit): its destructor cleans up (e.g.
/// removes the temporary file).
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// The next bytes of the body (never empty; at most 64 KiB). A Response
  /// stops the upload: it is sent at once, the rest of the body is not
  /// passed on and the connection closes after the answer (e.g. 415 once
  /// the first bytes show the type, 413 for a part over its own limit).
  /// The view is valid only during the call.
  virtual std::optional<Response> write(std::string_view chunk) = 0;
  /// The body is complete: the answer (e.g. 201, or 400 for a truncated
  /// multipart body).
  virtual Response finish() = 0;
};

/// What Route::open_body returns: a sink to stream the body into, or an
/// answer given before any of the body is read (401, 403, 415 from the
/// declared Content-Type, ...).
using BodyOpening = std::variant<std::unique_ptr<BodySink>, Response>;
using BodyOpener = std::function<BodyOpening(Request& head)>;

/// Where a handler runs. Password hashing has a pool of its own, so a flood
/// of logins (each ~64 MiB and tens of ms of Argon2id) can't starve storage
/// work or /readyz, and bounds the memory hashing takes.
enum class Runs {
  inline_on_network_thread,  // cheap and non-blocking only: no storage, no hashing
  on_storage_workers,
  on_hashing_workers,
  on_media_workers,  // image decoding and re-encoding: CPU and memory heavy, few at a time
};

/// One endpoint. `pattern` segments in braces are parameters: "/api/v1/users/{id}".
struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  std::size_t max_body_bytes = 0;  // 0: the request must have no body
  Runs runs = Runs::on_storage_workers;
  /// Set for a route whose body must never be whole in memory (uploads);
  /// `handler` is then unused. Called once the head is in, with `body`
  /// empty and path_params set, where `runs` says; the Request outlives
  /// the sink. A Content-Length over max_body_bytes is answered 413 before
  /// it is called; a chunked body that goes over it is cut off with 413.
  BodyOpener open_body;
};

/// Decodes %XX escapes (and nothing else); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace chattwo::api
