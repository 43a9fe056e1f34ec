#include "net/sockjs_endpoint.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <ctime>
#include <random>
#include <variant>

#include "api/problem.hpp"
#include "api/request_auth.hpp"
#include "net/sockjs_framing.hpp"
#include "stomp/broker/stomp_session.hpp"

namespace chattwo::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// xhr_send bodies and WebSocket messages: as /ws/websocket's messages (each
// STOMP frame in them is at most 64 KiB; the STOMP parser enforces it).
constexpr std::size_t kMaxSendBytes = 1 << 20;
// Bodies of requests that take none (xhr, xhr_streaming) are read and
// dropped up to this size, as server.cpp does for its routes.
constexpr std::size_t kIgnoredBodyBytes = 64 * 1024;
// Session ids are sockjs-client's 8 random characters; longer ones would
// only cost registry memory.
constexpr std::size_t kMaxSessionIdBytes = 128;
// Bytes read per wait while a receiving request watches for its client
// going away (a client sends nothing then, unless it pipelines).
constexpr std::size_t kPeerReadBytes = 512;
// The xhr-streaming prelude: 2 KiB of 'h' so that old browsers start handing
// the response to the page (SockJS 0.3.3).
constexpr std::size_t kPreludeBytes = 2048;
constexpr std::string_view kNotCached = "no-store, no-cache, must-revalidate, max-age=0";
constexpr std::string_view kJavascript = "application/javascript; charset=UTF-8";
constexpr std::string_view kOneYear = "31536000";  // seconds: OPTIONS answers are cached this long

using Response = http::response<http::string_body>;

enum class Kind { xhr, xhr_streaming, eventsource };

// The metrics label of a request: only the known shapes, so that clients
// can't mint label values (session ids, made-up transports).
std::string route_label(const sockjs::Target& target, bool is_session) {
  switch (target.kind) {
    case sockjs::Target::Kind::greeting: return "/ws";
    case sockjs::Target::Kind::info: return "/ws/info";
    case sockjs::Target::Kind::session:
      for (std::string_view known : {"xhr", "xhr_send", "xhr_streaming", "eventsource", "websocket"}) {
        if (is_session && target.transport == known) return "/ws/{server}/{session}/" + std::string(known);
      }
      break;
    case sockjs::Target::Kind::iframe:
    case sockjs::Target::Kind::not_found: break;
  }
  return "unmatched";
}

std::string http_date(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

std::string_view method_text(const api::Request& req) { return api::to_string(req.method); }

/// STOMP over one SockJS WebSocket (/ws/{server}/{session}/websocket): each
/// batch of frames is one `a[...]` message; `h` when nothing was written for
/// the heartbeat interval; `c[3000,"Go away!"]` before the close.
class SockJsWebSocket final : public stomp::broker::Transport {
 public:
  SockJsWebSocket(websocket::stream<beast::tcp_stream&>& ws, std::chrono::milliseconds heartbeat)
      : ws_(ws),
        heartbeat_(heartbeat),
        read_timer_(ws.get_executor()),
        beat_timer_(ws.get_executor()),
        write_idle_(ws.get_executor(), Clock::time_point::max()),
        close_done_(ws.get_executor(), Clock::time_point::max()) {}

  asio::awaitable<std::optional<std::string>> read(std::chrono::milliseconds timeout) override {
    for (;;) {
      buffer_.clear();
      bool timed_out = false;
      if (timeout.count() > 0) {
        // A missed STOMP heart-beat: close the socket, which ends the read.
        read_timer_.expires_after(timeout);
        read_timer_.async_wait([this, &timed_out](const boost::system::error_code& ec) {
          if (ec) return;
          timed_out = true;
          boost::system::error_code ignored;
          ws_.next_layer().socket().close(ignored);
        });
      }
      auto [ec, n] = co_await ws_.async_read(buffer_, kTuple);
      read_timer_.cancel();
      if (ec) {
        if (timed_out) spdlog::info("sockjs websocket: no data within {} ms, closed", timeout.count());
        co_return std::nullopt;
      }
      std::string text = beast::buffers_to_string(buffer_.data());
      buffer_.clear();
      buffer_.shrink_to_fit();     // an idle connection keeps no read buffer
      if (text.empty()) continue;  // SockJS: empty messages are ignored
      auto messages = sockjs::parse_messages(text);
      if (!messages) {
        // SockJS: broken JSON ends the connection abruptly.
        spdlog::info("sockjs websocket: broken JSON from the client, closing");
        broken_ = true;
        boost::system::error_code ignored;
        ws_.next_layer().socket().close(ignored);
        co_return std::nullopt;
      }
      std::string joined;
      for (const auto& m : *messages) joined += m;
      co_return joined;
    }
  }

  asio::awaitable<bool> write(const std::vector<stomp::broker::OutFrame>& frames) override {
    const std::string frame = sockjs::message_frame(frames);
    co_return co_await send(frame);
  }

  asio::awaitable<bool> write_heartbeat() override {
    static constexpr std::string_view kEol = R"(a["\n"])";  // a STOMP heart-beat, as a SockJS message
    co_return co_await send(kEol);
  }

  asio::awaitable<void> close(bool going_away) override {
    if (!ws_.is_open()) co_return;
    ++closing_;
    if (!broken_) {
      const std::string frame = sockjs::close_frame(3000, "Go away!");
      co_await send(frame);
    }
    co_await lock_writes();
    // The close handshake may fail if the peer is gone; the socket closes anyway.
    co_await ws_.async_close(going_away ? websocket::close_code::going_away : websocket::close_code::normal, kTuple);
    boost::system::error_code ignored;
    ws_.next_layer().socket().close(ignored);
    unlock_writes();
    --closing_;
    close_done_.cancel();
  }

  /// Waits until no close() is under way. serve_stomp can return while its
  /// writer is still inside close() (the writer marks itself done first),
  /// and this object must outlive that call.
  asio::awaitable<void> settle() {
    while (closing_ > 0) co_await close_done_.async_wait(kTuple);
  }

  /// One text message; `text` must stay alive until this completes. The
  /// STOMP writer and heartbeats() both write: one at a time.
  asio::awaitable<bool> send(std::string_view text) {
    co_await lock_writes();
    auto [ec, n] = co_await ws_.async_write(asio::buffer(text), kTuple);
    last_write_ = Clock::now();
    unlock_writes();
    co_return !ec;
  }

  /// Sends `h` whenever nothing was written for the heartbeat interval.
  /// Ends only when cancelled (the STOMP session is over).
  asio::awaitable<void> heartbeats() {
    for (;;) {
      beat_timer_.expires_at(last_write_ + heartbeat_);
      auto [ec] = co_await beat_timer_.async_wait(kTuple);
      if (ec) co_return;
      if (Clock::now() < last_write_ + heartbeat_ || !ws_.is_open()) continue;
      if (!co_await send(sockjs::kHeartbeatFrame)) {
        // The reader finds the broken socket; wait to be cancelled.
        beat_timer_.expires_at(Clock::time_point::max());
        co_await beat_timer_.async_wait(kTuple);
        co_return;
      }
    }
  }

 private:
  asio::awaitable<void> lock_writes() {
    while (writing_) co_await write_idle_.async_wait(kTuple);
    writing_ = true;
  }
  void unlock_writes() {
    writing_ = false;
    write_idle_.cancel();  // wakes a writer waiting in lock_writes()
  }

  websocket::stream<beast::tcp_stream&>& ws_;
  const std::chrono::milliseconds heartbeat_;
  asio::steady_timer read_timer_;
  asio::steady_timer beat_timer_;
  asio::steady_timer write_idle_;
  asio::steady_timer close_done_;
  beast::flat_buffer buffer_;
  Clock::time_point last_write_ = Clock::now();
  bool writing_ = false;
  bool broken_ = false;
  int closing_ = 0;  // close() calls under way
};

/// A response body written as it goes: chunks (HTTP/1.1), or raw bytes up
/// to the close (HTTP/1.0).
struct Streamer {
  beast::tcp_stream& stream;
  bool chunked;
  std::chrono::milliseconds timeout;
  std::size_t sent = 0;

  /// `data` must stay alive until this completes.
  asio::awaitable<bool> send(std::string_view data) {
    stream.expires_after(timeout);
    boost::system::error_code ec;
    if (chunked) {
      auto [e, n] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(data)), kTuple);
      ec = e;
    } else {
      auto [e, n] = co_await asio::async_write(stream, asio::buffer(data), kTuple);
      ec = e;
    }
    stream.expires_never();
    sent += data.size();
    co_return !ec;
  }

  asio::awaitable<void> finish() {
    if (!chunked) co_return;
    stream.expires_after(timeout);
    co_await asio::async_write(stream, http::make_chunk_last(), kTuple);  // a failure: the client is gone anyway
    stream.expires_never();
  }
};

enum class Woke { maybe_data, heartbeat_due, peer_gone };

// Sleeps until `timer` is cancelled (the session has something), `deadline`
// passes, or the client goes away. While `watch_peer`, a read on the socket
// runs alongside: a client that closes its request (an abort, a closed tab)
// is seen at once, not at the next heartbeat.
asio::awaitable<Woke> sleep_until_woken(asio::steady_timer& timer, Clock::time_point deadline,
                                        beast::tcp_stream& stream, beast::flat_buffer& buffer, bool& watch_peer,
                                        bool& idle) {
  if (Clock::now() >= deadline) co_return Woke::heartbeat_due;
  timer.expires_at(deadline);
  idle = true;
  Woke woke;
  if (watch_peer) {
    auto sleeping = timer.async_wait(kTuple);
    auto reading = stream.socket().async_read_some(buffer.prepare(kPeerReadBytes), kTuple);
    auto result = co_await (std::move(sleeping) || std::move(reading));
    if (result.index() == 0) {
      auto [ec] = std::get<0>(result);
      woke = ec ? Woke::maybe_data : Woke::heartbeat_due;
    } else {
      auto [ec, n] = std::get<1>(result);
      if (ec) {
        woke = Woke::peer_gone;
      } else {
        // The client pipelined its next request: keep it for the connection
        // loop, and stop watching (it is evidently there).
        buffer.commit(n);
        watch_peer = false;
        woke = Woke::maybe_data;
      }
    }
  } else {
    auto [ec] = co_await timer.async_wait(kTuple);
    woke = ec ? Woke::maybe_data : Woke::heartbeat_due;
  }
  idle = false;
  co_return woke;
}

}  // namespace

struct SockJsEndpoint::Impl {
  Impl(asio::io_context& i, stomp::broker::SessionContext& s, const api::OriginPolicy& o, SockJsSettings st)
      : ioc(i),
        stomp(s),
        origins(o),
        settings(st),
        registry(st.limits.max_sessions),
        sessions_gauge(s.metrics.gauge("chattwo_sockjs_sessions", "Open SockJS sessions on HTTP transports.")) {}

  ~Impl() { registry.clear(); }

  asio::awaitable<bool> websocket_session(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                          http::request_parser<http::string_body>& parser, const api::Request& req,
                                          bool& idle);
  asio::awaitable<void> serve_stomp_quietly(stomp::broker::Transport& t, std::string cookie);
  enum class Action { respond, send, receive };
  struct Decision {
    Action action;
    Response response;  // respond
    Kind kind;          // receive
  };
  /// What a request asks for, when no I/O is needed to say (all but the
  /// body of xhr_send and the receiving transports).
  Decision decide(const sockjs::Target& target, bool is_session, const api::Request& req) const;
  Response xhr_send(const api::Request& req, const sockjs::Target& target, std::string& body);
  asio::awaitable<bool> receive(beast::tcp_stream& stream, beast::flat_buffer& buffer, const api::Request& req,
                                const sockjs::Target& target, Kind kind, bool keep_alive, bool http10, bool& idle);

  Response base(const api::Request& req, int status) const {
    Response res{static_cast<http::status>(status), 11};
    common_headers(res, req);
    return res;
  }
  template <class Message>
  void common_headers(Message& m, const api::Request& req) const {
    m.set("X-Content-Type-Options", "nosniff");
    m.set("X-Request-Id", req.request_id);
    m.set("Referrer-Policy", "same-origin");
  }
  Response from_api(const api::Request& req, api::Response r) const {
    Response res = base(req, r.status);
    for (auto& [k, v] : r.headers) res.insert(k, v);
    res.body() = std::move(r.body);
    return res;
  }
  Response text(const api::Request& req, int status, std::string_view content_type, std::string body) const {
    Response res = base(req, status);
    res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    return res;
  }
  // CORS, as SockJS 0.3.3 has it: the request's Origin echoed, with
  // credentials, when it is allowed; `*` for a client without one (or the
  // "null" of file:// pages, which then get no cookies). A foreign Origin
  // gets no CORS headers, so the browser keeps the answer from its page.
  template <class Message>
  void cors(Message& m, const api::Request& req) const {
    const std::string_view origin = req.header("origin");
    if (origin.empty() || origin == "null") {
      m.set(http::field::access_control_allow_origin, "*");
    } else if (origins.allows(origin, req.header("host"))) {
      m.set(http::field::access_control_allow_origin, origin);
      m.set(http::field::access_control_allow_credentials, "true");
      m.set(http::field::vary, "Origin");
    }
    if (const auto asked = req.header("access-control-request-headers"); !asked.empty()) {
      m.set(http::field::access_control_allow_headers, asked);
    }
  }
  bool origin_allowed(const api::Request& req) const {
    return origins.allows(req.header("origin"), req.header("host"));
  }
  Response options(const api::Request& req, std::string_view methods) const {
    Response res = base(req, 204);
    res.set(http::field::cache_control, "public, max-age=31536000");
    res.set(http::field::expires, http_date(std::chrono::system_clock::now() + std::chrono::seconds(31536000)));
    res.set(http::field::access_control_max_age, kOneYear);
    res.set(http::field::access_control_allow_methods, methods);
    cors(res, req);
    return res;
  }
  Response method_not_allowed(const api::Request& req, std::string_view allow) const {
    Response res = base(req, 405);  // SockJS: no body, no Content-Type
    res.set(http::field::allow, allow);
    return res;
  }

  asio::awaitable<bool> write(beast::tcp_stream& stream, Response res, const api::Request& req, bool keep_alive,
                              std::string_view route);
  void count(const api::Request& req, std::string_view route, int status) const;

  asio::io_context& ioc;
  stomp::broker::SessionContext& stomp;
  const api::OriginPolicy& origins;
  const SockJsSettings settings;
  SockJsRegistry registry;
  ops::Gauge& sessions_gauge;
  std::atomic<std::size_t> live{0};  // STOMP sessions running
  std::atomic<bool> closed{false};   // shutting down: no new sessions
};

SockJsEndpoint::SockJsEndpoint(asio::io_context& ioc, stomp::broker::SessionContext& stomp,
                               const api::OriginPolicy& origins, SockJsSettings settings)
    : impl_(std::make_unique<Impl>(ioc, stomp, origins, settings)) {}

SockJsEndpoint::~SockJsEndpoint() = default;

void SockJsEndpoint::close_all() {
  impl_->closed.store(true);
  for (auto& session : impl_->registry.all()) session->shut_down();
}

std::size_t SockJsEndpoint::live_sessions() const { return impl_->live.load(); }

bool SockJsEndpoint::handles(std::string_view path) {
  return path == "/ws" || (path.starts_with("/ws/") && path != "/ws/websocket");
}

void SockJsEndpoint::Impl::count(const api::Request& req, std::string_view route, int status) const {
  stomp.metrics
      .counter("chattwo_http_requests_total", "HTTP requests by route, method and status.",
               {{"route", std::string(route)},
                {"method", std::string(method_text(req))},
                {"status", std::to_string(status)}})
      .inc();
  spdlog::info("{} {} {} id={} peer={}", method_text(req), req.path, status, req.request_id, req.remote_address);
}

asio::awaitable<bool> SockJsEndpoint::Impl::write(beast::tcp_stream& stream, Response res, const api::Request& req,
                                                  bool keep_alive, std::string_view route) {
  const int status = static_cast<int>(res.result_int());
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (req.method == api::Method::head) res.body().clear();
  stream.expires_after(settings.body_timeout);
  auto [ec, n] = co_await http::async_write(stream, res, kTuple);
  count(req, route, status);
  co_return !ec && keep_alive;
}

// GCC 12 destroys temporaries that own memory twice when they sit in a
// co_await expression (a double free): every Response and string below is
// named before it is handed to a co_await.
asio::awaitable<bool> SockJsEndpoint::serve(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                            http::request_parser<http::string_body>& parser, const api::Request& req,
                                            bool& idle) {
  Impl& d = *impl_;
  const sockjs::Target target = sockjs::parse_target(std::string_view(req.path).substr(3));
  const bool is_session = target.kind == sockjs::Target::Kind::session && target.session.size() <= kMaxSessionIdBytes;
  const bool keep_alive = parser.get().keep_alive();
  const bool http10 = parser.get().version() < 11;

  if (is_session && target.transport == "websocket") {
    co_return co_await d.websocket_session(stream, buffer, parser, req, idle);
  }

  // The body: xhr_send carries messages; the others take none but get
  // theirs read (and dropped) so the connection stays usable.
  const bool sending = is_session && target.transport == "xhr_send";
  const std::size_t body_limit = sending ? kMaxSendBytes : kIgnoredBodyBytes;
  const std::string route = route_label(target, is_session);
  bool too_large = false;
  if (const auto length = parser.content_length(); length && *length > body_limit) {
    too_large = true;
  } else if (!parser.is_done()) {
    parser.body_limit(body_limit);
    stream.expires_after(d.settings.body_timeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec == http::error::body_limit)
      too_large = true;
    else if (ec)
      co_return false;  // the client went away or stalled mid-body
  }
  if (too_large) {
    Response res =
        d.from_api(req, api::problem(chat::Code::payload_too_large, "the body is over this endpoint's limit of " +
                                                                        std::to_string(body_limit) + " bytes"));
    co_await d.write(stream, std::move(res), req, false, route);
    co_return false;
  }

  Impl::Decision decision = d.decide(target, is_session, req);
  switch (decision.action) {
    case Impl::Action::respond:
      break;
    case Impl::Action::send: {
      std::string body = std::move(parser.get().body());
      decision.response = d.xhr_send(req, target, body);
      break;
    }
    case Impl::Action::receive:
      co_return co_await d.receive(stream, buffer, req, target, decision.kind, keep_alive, http10, idle);
  }
  co_return co_await d.write(stream, std::move(decision.response), req, keep_alive, route);
}

SockJsEndpoint::Impl::Decision SockJsEndpoint::Impl::decide(const sockjs::Target& target, bool is_session,
                                                            const api::Request& req) const {
  using K = sockjs::Target::Kind;
  const auto m = req.method;
  const bool get = m == api::Method::get || m == api::Method::head;
  auto respond = [](Response res) { return Decision{Action::respond, std::move(res), Kind::xhr}; };
  switch (target.kind) {
    case K::greeting:
      if (!get) return respond(method_not_allowed(req, "GET, HEAD"));
      return respond(text(req, 200, "text/plain; charset=UTF-8", "Welcome to SockJS!\n"));
    case K::info: {
      if (m == api::Method::options) return respond(options(req, "OPTIONS, GET"));
      if (!get) return respond(method_not_allowed(req, "OPTIONS, GET"));
      std::random_device entropy;
      Response res = text(req, 200, "application/json; charset=UTF-8",
                          R"({"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":)" +
                              std::to_string(static_cast<std::uint32_t>(entropy())) + "}");
      res.set(http::field::cache_control, kNotCached);
      cors(res, req);
      return respond(std::move(res));
    }
    case K::iframe:  // no iframe-based transports here
    case K::not_found:
      break;
    case K::session: {
      if (!is_session) break;
      const std::string_view t = target.transport;
      const bool post_transport = t == "xhr" || t == "xhr_send" || t == "xhr_streaming";
      if (!post_transport && t != "eventsource") break;
      if (post_transport && m == api::Method::options) return respond(options(req, "OPTIONS, POST"));
      if (post_transport && m != api::Method::post) return respond(method_not_allowed(req, "OPTIONS, POST"));
      if (t == "eventsource" && m != api::Method::get) return respond(method_not_allowed(req, "GET"));
      // Another site's page must not drive a session with the user's
      // cookie (nor read one): its Origin is refused outright.
      if (!origin_allowed(req)) {
        return respond(
            from_api(req, api::problem(chat::Code::forbidden, "SockJS requests from this Origin are not allowed")));
      }
      if (t == "xhr_send") return Decision{Action::send, {}, Kind::xhr};
      const Kind kind = t == "xhr" ? Kind::xhr : t == "xhr_streaming" ? Kind::xhr_streaming : Kind::eventsource;
      return Decision{Action::receive, {}, kind};
    }
  }
  return respond(from_api(req, api::problem(chat::Code::not_found, "no such resource: " + req.path)));
}

Response SockJsEndpoint::Impl::xhr_send(const api::Request& req, const sockjs::Target& target, std::string& body) {
  auto session = registry.find(target.session);
  if (!session) return from_api(req, api::problem(chat::Code::not_found, "no such SockJS session"));
  // The protocol's own error answers: 500 and these exact texts.
  if (body.empty()) return text(req, 500, "text/plain; charset=UTF-8", "Payload expected.");
  auto messages = sockjs::parse_messages(body);
  if (!messages) return text(req, 500, "text/plain; charset=UTF-8", "Broken JSON encoding.");
  switch (session->push(std::move(*messages))) {
    case SockJsSession::Push::ok:
      break;
    case SockJsSession::Push::closed:
      return from_api(req, api::problem(chat::Code::not_found, "the SockJS session is closed"));
    case SockJsSession::Push::overloaded: {
      chat::Error e{chat::Code::unavailable, "the session has too much unread input; send more slowly"};
      e.retry_after_s = 1;
      return from_api(req, api::to_problem(e));
    }
  }
  // 204, yet with a Content-Type: Firefox would take the empty body for XML.
  Response res = text(req, 204, "text/plain; charset=UTF-8", "");
  res.set(http::field::cache_control, kNotCached);
  cors(res, req);
  return res;
}

asio::awaitable<bool> SockJsEndpoint::Impl::receive(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                    const api::Request& req, const sockjs::Target& target, Kind kind,
                                                    bool keep_alive, bool http10, bool& idle) {
  const std::string route = "/ws/{server}/{session}/" + std::string(target.transport);
  // The request that creates the session gives its cookie to the STOMP
  // CONNECT (as a WebSocket handshake does).
  auto make = [this, &target] {
    return std::make_shared<SockJsSession>(std::string(target.session), asio::make_strand(ioc), settings.limits);
  };
  auto found = closed.load() ? SockJsRegistry::Found{registry.find(target.session), false}
                             : registry.find_or_create(target.session, make);
  if (!found.session) {
    spdlog::warn("sockjs: {} sessions open, refusing another", settings.limits.max_sessions);
    chat::Error e{chat::Code::unavailable, "too many SockJS sessions; try again shortly"};
    e.retry_after_s = 1;
    Response res = from_api(req, api::to_problem(e));
    co_return co_await write(stream, std::move(res), req, false, route);
  }
  std::shared_ptr<SockJsSession> session = std::move(found.session);
  if (found.created) {
    sessions_gauge.add(1);
    std::string cookie(api::find_cookie(req.header("cookie"), api::kSessionCookie).value_or(""));
    const SockJsSession* which = session.get();
    ++live;
    session->start(
        stomp, std::move(cookie), [this] { --live; },
        [this, id = session->id(), which] {
          registry.remove(id, which);
          sessions_gauge.add(-1);
        });
  }

  // The session wakes this request by cancelling its timer, on this
  // connection's strand.
  auto timer = std::make_shared<asio::steady_timer>(stream.get_executor());
  auto wake = [timer, ex = stream.get_executor()] { asio::post(ex, [timer] { timer->cancel(); }); };
  const SockJsSession::Receiver receiver = session->attach(std::move(wake));
  bool watch_peer = buffer.size() == 0;
  bool interrupted = false;

  if (kind == Kind::xhr) {
    // Polling: one frame per request.
    std::string frame;
    switch (receiver.outcome) {
      case SockJsSession::Attach::opened:
        frame = sockjs::kOpenFrame;
        break;
      case SockJsSession::Attach::busy:
        frame = sockjs::close_frame(2010, "Another connection still open");
        break;
      case SockJsSession::Attach::closed:
        frame = session->close_frame();
        break;
      case SockJsSession::Attach::attached: {
        const auto deadline = Clock::now() + settings.heartbeat;
        for (;;) {
          auto batch = session->take(receiver.token);
          if (!batch.messages.empty()) {
            frame = sockjs::message_frame(batch.messages);
            break;
          }
          if (!batch.close.empty()) {
            frame = std::move(batch.close);
            break;
          }
          const Woke woke = co_await sleep_until_woken(*timer, deadline, stream, buffer, watch_peer, idle);
          if (woke == Woke::peer_gone) {
            interrupted = true;
            break;
          }
          if (woke == Woke::heartbeat_due) {
            frame = sockjs::kHeartbeatFrame;
            break;
          }
        }
        break;
      }
    }
    // Detached before the answer goes out: the client may poll again the
    // moment it has read it, and must not find itself "still open".
    session->detach(receiver.token, interrupted);
    if (interrupted) {
      count(req, route, 499);
      co_return false;
    }
    Response res = text(req, 200, kJavascript, frame + "\n");
    res.set(http::field::cache_control, kNotCached);
    cors(res, req);
    co_return co_await write(stream, std::move(res), req, keep_alive, route);
  }

  // Streaming: one response carrying many frames, ended after
  // response_limit bytes (the client then opens the next).
  http::response<http::empty_body> head{http::status::ok, 11};
  common_headers(head, req);
  head.set(http::field::content_type, kind == Kind::eventsource ? "text/event-stream; charset=UTF-8" : kJavascript);
  head.set(http::field::cache_control, kNotCached);
  cors(head, req);
  head.keep_alive(false);  // a stream ends with the connection
  if (!http10) head.chunked(true);
  http::response_serializer<http::empty_body> serializer(head);
  stream.expires_after(settings.body_timeout);
  auto [head_ec, head_n] = co_await http::async_write_header(stream, serializer, kTuple);
  stream.expires_never();
  count(req, route, 200);

  Streamer out{stream, !http10, settings.body_timeout};
  auto framed = [kind](std::string_view frame) {
    return kind == Kind::eventsource ? "data: " + std::string(frame) + "\r\n\r\n" : std::string(frame) + "\n";
  };
  bool ok = !head_ec;
  std::string pending = kind == Kind::eventsource ? std::string("\r\n") : std::string(kPreludeBytes, 'h') + "\n";
  if (ok) ok = co_await out.send(pending);
  const std::size_t prelude = out.sent;
  auto last_write = Clock::now();
  if (ok) {
    switch (receiver.outcome) {
      case SockJsSession::Attach::busy:
        pending = framed(sockjs::close_frame(2010, "Another connection still open"));
        ok = co_await out.send(pending);
        break;
      case SockJsSession::Attach::closed:
        pending = framed(session->close_frame());
        ok = co_await out.send(pending);
        break;
      case SockJsSession::Attach::opened:
      case SockJsSession::Attach::attached:
        if (receiver.outcome == SockJsSession::Attach::opened) {
          pending = framed(sockjs::kOpenFrame);
          ok = co_await out.send(pending);
        }
        while (ok) {
          auto batch = session->take(receiver.token);
          if (!batch.messages.empty()) {
            pending = framed(sockjs::message_frame(batch.messages));
            ok = co_await out.send(pending);
            last_write = Clock::now();
            if (out.sent - prelude >= settings.response_limit) break;
            continue;
          }
          if (!batch.close.empty()) {
            pending = framed(batch.close);
            ok = co_await out.send(pending);
            break;
          }
          const Woke woke =
              co_await sleep_until_woken(*timer, last_write + settings.heartbeat, stream, buffer, watch_peer, idle);
          if (woke == Woke::peer_gone) {
            ok = false;
          } else if (woke == Woke::heartbeat_due) {
            pending = framed(sockjs::kHeartbeatFrame);
            ok = co_await out.send(pending);
            last_write = Clock::now();
          }
        }
        break;
    }
  }
  interrupted = !ok;
  session->detach(receiver.token, interrupted);
  if (ok) co_await out.finish();
  co_return false;
}

asio::awaitable<void> SockJsEndpoint::Impl::serve_stomp_quietly(stomp::broker::Transport& t, std::string cookie) {
  try {
    co_await stomp::broker::serve_stomp(t, stomp, std::move(cookie));
  } catch (const std::exception& e) {
    spdlog::error("sockjs websocket: STOMP session failed: {}", e.what());
  }
}

asio::awaitable<bool> SockJsEndpoint::Impl::websocket_session(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                              http::request_parser<http::string_body>& parser,
                                                              const api::Request& req, bool& idle) {
  const std::string route = "/ws/{server}/{session}/websocket";
  std::optional<Response> refusal;
  http::request<http::string_body> request;
  if (req.method != api::Method::get) {
    refusal = method_not_allowed(req, "GET");
  } else {
    request = parser.release();
    if (!websocket::is_upgrade(request)) {
      const bool upgrade = beast::iequals(request[http::field::upgrade], "websocket");
      refusal = text(req, 400, "text/plain; charset=UTF-8",
                     upgrade ? "\"Connection\" must be \"Upgrade\"." : "Can \"Upgrade\" only to \"WebSocket\".");
    } else if (!origin_allowed(req)) {
      // Cross-site WebSocket hijacking, as for /ws/websocket.
      refusal =
          from_api(req, api::problem(chat::Code::forbidden, "WebSocket connections from this Origin are not allowed"));
    }
  }
  if (refusal) {
    Response res = std::move(*refusal);
    co_await write(stream, std::move(res), req, false, route);
    co_return false;
  }
  std::string cookie(api::find_cookie(req.header("cookie"), api::kSessionCookie).value_or(""));

  idle = true;  // as /ws/websocket: a drain may close it; STOMP clients reconnect and catch up
  buffer.clear();
  buffer.shrink_to_fit();
  stream.expires_never();  // the WebSocket stream has its own timeouts from here on
  websocket::stream<beast::tcp_stream&> ws(stream);
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.read_message_max(kMaxSendBytes);
  ws.text(true);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "chattwo"); }));
  auto [ec] = co_await ws.async_accept(request, kTuple);
  count(req, route, ec ? 400 : 101);
  if (ec) co_return false;  // the handshake failed; Beast answered it
  request = {};

  SockJsWebSocket transport(ws, settings.heartbeat);
  if (!co_await transport.send(sockjs::kOpenFrame)) co_return false;
  // The STOMP session and the SockJS heartbeats run side by side; the
  // heartbeats end (cancelled) when the session does.
  auto serving = serve_stomp_quietly(transport, std::move(cookie));
  auto beating = transport.heartbeats();
  co_await (std::move(serving) || std::move(beating));
  co_await transport.settle();
  co_return false;
}

}  // namespace chattwo::net
