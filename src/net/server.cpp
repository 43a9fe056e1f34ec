#include "net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <variant>

#include "api/problem.hpp"
#include "base/ulid.hpp"
#include "net/sockjs_endpoint.hpp"
#include "net/websocket_endpoint.hpp"
#include "stomp/broker/offload.hpp"

namespace chattwo::net {
using stomp::broker::offload;
using stomp::broker::PoolOverloaded;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Bytes read per wait for a new request on an idle keep-alive connection.
constexpr std::size_t kReadChunkBytes = 4096;
// A body on a route that takes none (or on no route at all) is read and
// dropped up to this size, so the answer (404, 405) can still be given.
constexpr std::size_t kIgnoredBodyBytes = 64 * 1024;
// After an error answer on a connection we close, unread input is drained
// for at most this long / this much, so that the client reads our answer
// instead of a TCP reset (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 16 << 20;
// Request ids taken from a proxy's X-Request-Id: at most this long, safe characters only.
constexpr std::size_t kMaxRequestIdBytes = 64;
// Bytes of a streamed body (an upload into a BodySink, a download from a
// ResponseBody) moved per hop to a storage worker. 64 KiB is what Beast reads
// from a socket at once anyway; a 10 MiB image is 160 hops, and a transfer
// holds this buffer plus the connection's read buffer (also ~64 KiB), however
// large the body.
constexpr std::size_t kStreamChunkBytes = 64 * 1024;

api::Method to_api_method(http::verb v) {
  switch (v) {
    case http::verb::get: return api::Method::get;
    case http::verb::head: return api::Method::head;
    case http::verb::post: return api::Method::post;
    case http::verb::put: return api::Method::put;
    case http::verb::patch: return api::Method::patch;
    case http::verb::delete_: return api::Method::delete_;
    case http::verb::options: return api::Method::options;
    default: return api::Method::other;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string new_request_id() {
  using namespace std::chrono;
  return base::make_ulid(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

api::Response body_too_large(std::size_t limit) {
  return api::problem(chat::Code::payload_too_large,
                      "the body is over this endpoint's limit of " + std::to_string(limit) + " bytes");
}

api::Response server_busy() {
  chat::Error e{chat::Code::unavailable, "the server is busy; try again shortly"};
  e.retry_after_s = 1;
  return api::to_problem(e);
}

bool is_loopback(const asio::ip::address& a) {
  if (a.is_loopback()) return true;
  return a.is_v6() && a.to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback();
}

}  // namespace

/// One TCP connection: its stream, and whether it is between requests (only
/// then may a drain close it). Touched only on its own strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = false;
  bool closing = false;  // the server is draining: close when next idle
};

struct Listener {
  tcp::acceptor acceptor;
  const Router* router;
  bool is_main;  // the main port serves static files and checks loopback for /metrics
};

struct Server::Impl {
  Impl(ServerSettings s, ServerParts p)
      : settings(std::move(s)),
        parts(p),
        ioc(static_cast<int>(std::max(1u, settings.threads))),
        control(asio::make_strand(ioc)),
        signals(control, SIGINT, SIGTERM),
        timer(control),
        origins(settings.allowed_origins),
        sockjs(parts.stomp ? std::make_unique<SockJsEndpoint>(ioc, *parts.stomp, origins,
                                                              SockJsSettings{.body_timeout = settings.body_timeout})
                           : nullptr),
        open_gauge(parts.metrics.gauge("chattwo_http_open_connections", "Open HTTP connections.")),
        accepted(parts.metrics.counter("chattwo_http_connections_total", "Accepted HTTP connections.")),
        internal_errors(parts.metrics.counter("chattwo_internal_errors_total",
                                              "Requests and connections that failed with an unexpected exception.")) {}

  void bind_one(const ops::Endpoint& ep, const Router* router, bool is_main);
  asio::awaitable<void> accept_loop(Listener& listener);
  asio::awaitable<void> serve(std::shared_ptr<Connection> conn, Listener& listener);
  base::WorkerPool& media_workers() { return parts.media_workers ? *parts.media_workers : parts.hashing_workers; }
  asio::awaitable<api::Response> dispatch(api::Request& req, const Router::Match& match, Listener& listener,
                                          std::string& route_label);
  std::optional<api::Response> answer_without_handler(const api::Request& req, const Router::Match& match,
                                                      const Listener& listener, std::string& route_label) const;

  /// The answer to a request on a streaming route, and whether its body was
  /// read to the end (if not, the connection closes after the answer).
  struct Streamed {
    api::Response response;
    bool body_read = false;
  };
  asio::awaitable<std::optional<Streamed>> receive_streamed(Connection& conn, beast::flat_buffer& buffer,
                                                            http::request_parser<http::string_body>& parser,
                                                            api::Request& req, const Router::Match& match,
                                                            Listener& listener, std::string& route_label,
                                                            std::size_t body_limit);
  asio::awaitable<std::optional<Streamed>> pump_body(Connection& conn, beast::flat_buffer& buffer,
                                                     http::request_parser<http::string_body>& head_parser,
                                                     api::Request& req, const api::Route& route, std::size_t body_limit,
                                                     std::unique_ptr<api::BodySink>& sink);
  asio::awaitable<void> dispose(api::Runs runs, std::unique_ptr<api::BodySink> sink);
  asio::awaitable<bool> write_response(Connection& conn, api::Response& r, const api::Request& req, bool keep_alive);
  /// Runs `fn` where `runs` says and returns its result on the connection's
  /// strand. Throws PoolOverloaded when the pool's queue is full, and what fn throws.
  template <class Fn>
  asio::awaitable<std::invoke_result_t<Fn&>> run_where(api::Runs runs, Fn fn);
  asio::awaitable<void> linger_close(Connection& conn);
  asio::awaitable<void> answer_and_close(Connection& conn, api::Response r);
  asio::awaitable<void> websocket_session(std::shared_ptr<Connection> conn, std::uint64_t id,
                                          std::unique_ptr<WebSocketUpgrade> upgrade);
  void close_connection(Connection& conn, std::uint64_t id);
  void finish_response(api::Response& r, const api::Request& req) const;
  bool host_allowed(std::string_view host) const;

  void wait_for_signal();
  void on_signal();
  void close_listeners_and_idle();
  void poll_until_drained(Clock::time_point deadline);

  ServerSettings settings;
  ServerParts parts;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> control;  // lifecycle: signals, drain
  asio::signal_set signals;
  asio::steady_timer timer;
  api::OriginPolicy origins;
  std::unique_ptr<SockJsEndpoint> sockjs;  // STOMP over SockJS at /ws; destroyed before ioc
  std::vector<std::unique_ptr<Listener>> listeners;
  bool listens_on_loopback = false;

  std::mutex conns_mutex;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> conns;
  std::uint64_t next_conn_id = 0;
  std::atomic<std::size_t> open{0};
  std::atomic<bool> closing{false};

  enum class Phase { serving, grace, closing, stopped } phase = Phase::serving;  // control strand only
  ops::Gauge& open_gauge;
  ops::Counter& accepted;
  ops::Counter& internal_errors;
};

Server::Server(ServerSettings settings, ServerParts parts)
    : impl_(std::make_unique<Impl>(std::move(settings), parts)) {}

Server::~Server() = default;

void Server::Impl::bind_one(const ops::Endpoint& ep, const Router* router, bool is_main) {
  const std::string where = ep.host + ":" + std::to_string(ep.port);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(ep.host == "localhost" ? "127.0.0.1" : ep.host, ec);
  if (ec) throw std::runtime_error(where + ": not an IP address (" + ec.message() + ")");
  tcp::acceptor acceptor(asio::make_strand(ioc));
  const tcp::endpoint endpoint(address, ep.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(where + ": " + ec.message());
  listeners.push_back(std::make_unique<Listener>(Listener{std::move(acceptor), router, is_main}));
}

void Server::bind() {
  impl_->bind_one(impl_->settings.listen, &impl_->parts.main_router, true);
  impl_->listens_on_loopback = is_loopback(impl_->listeners[0]->acceptor.local_endpoint().address());
  if (impl_->settings.metrics_listen && impl_->parts.metrics_router) {
    impl_->bind_one(*impl_->settings.metrics_listen, impl_->parts.metrics_router, false);
  }
}

ops::Endpoint Server::local_endpoint() const {
  const auto ep = impl_->listeners.at(0)->acceptor.local_endpoint();
  return {ep.address().to_string(), ep.port()};
}

std::optional<ops::Endpoint> Server::metrics_endpoint() const {
  if (impl_->listeners.size() < 2) return std::nullopt;
  const auto ep = impl_->listeners[1]->acceptor.local_endpoint();
  return ops::Endpoint{ep.address().to_string(), ep.port()};
}

void Server::run() {
  for (auto& l : impl_->listeners) {
    asio::co_spawn(l->acceptor.get_executor(), impl_->accept_loop(*l), asio::detached);
  }
  impl_->wait_for_signal();

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < std::max(1u, impl_->settings.threads); ++i) {
    threads.emplace_back([this, i] {
      const std::string name = "net-" + std::to_string(i);
      pthread_setname_np(pthread_self(), name.c_str());
      impl_->ioc.run();
    });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::request_stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->on_signal(); });
}

// ---- lifecycle -------------------------------------------------------------

void Server::Impl::wait_for_signal() {
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    on_signal();
    if (phase != Phase::stopped) wait_for_signal();
  });
}

void Server::Impl::on_signal() {
  switch (phase) {
    case Phase::serving:
      parts.health.start_draining();
      phase = Phase::grace;
      spdlog::info("shutdown requested: /readyz now 503; draining in {} ms (signal again to skip)",
                   settings.drain_grace.count());
      timer.expires_after(settings.drain_grace);
      timer.async_wait([this](const boost::system::error_code&) {
        // Fires when the grace ends, or at once when a second signal cancels it.
        if (phase != Phase::grace) return;
        phase = Phase::closing;
        close_listeners_and_idle();
        poll_until_drained(Clock::now() + settings.shutdown_timeout);
      });
      break;
    case Phase::grace:
      timer.cancel();
      break;
    case Phase::closing:
      spdlog::warn("second shutdown signal while draining: stopping now");
      phase = Phase::stopped;
      ioc.stop();
      break;
    case Phase::stopped:
      break;
  }
}

void Server::Impl::close_listeners_and_idle() {
  closing.store(true);
  if (sockjs) sockjs->close_all();  // their STOMP sessions end and leave the hub
  for (auto& l : listeners) {
    asio::post(l->acceptor.get_executor(), [l = l.get()] {
      boost::system::error_code ignored;
      l->acceptor.close(ignored);
    });
  }
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(conns_mutex);
    for (auto& [id, weak] : conns) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) {
    asio::post(c->stream.get_executor(), [c] {
      c->closing = true;
      if (c->idle) {
        boost::system::error_code ignored;
        c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        c->stream.socket().close(ignored);
      }
    });
  }
  spdlog::info("listeners closed; waiting for {} open connection(s)", open.load());
}

void Server::Impl::poll_until_drained(Clock::time_point deadline) {
  // SockJS sessions hold executors of ioc (the hub holds their outboxes):
  // they must be over before it stops.
  const bool drained = open.load() == 0 && (!sockjs || sockjs->live_sessions() == 0);
  if (drained || Clock::now() >= deadline) {
    if (open.load() != 0) spdlog::warn("shutdown timeout: {} connection(s) still open", open.load());
    phase = Phase::stopped;
    signals.cancel();
    ioc.stop();
    return;
  }
  // Polling (not a condition) keeps connection teardown free of callbacks
  // into the lifecycle; 20 ms is invisible next to a drain.
  timer.expires_after(std::chrono::milliseconds(20));
  timer.async_wait([this, deadline](const boost::system::error_code&) { poll_until_drained(deadline); });
}

// ---- connections -----------------------------------------------------------

asio::awaitable<void> Server::Impl::accept_loop(Listener& listener) {
  for (;;) {
    auto [ec, socket] = co_await listener.acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !listener.acceptor.is_open()) co_return;
      // EMFILE and friends: back off briefly instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    if (open.load() >= settings.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    asio::co_spawn(conn->stream.get_executor(), serve(conn, listener), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::serve(std::shared_ptr<Connection> conn, Listener& listener) {
  std::uint64_t id;
  {
    std::lock_guard lock(conns_mutex);
    id = next_conn_id++;
    conns.emplace(id, conn);
  }
  ++open;
  open_gauge.add(1);
  accepted.inc();

  boost::system::error_code ec;
  const auto peer = conn->stream.socket().remote_endpoint(ec);
  const std::string peer_address = ec ? std::string() : peer.address().to_string();
  const bool peer_is_loopback = !ec && is_loopback(peer.address());

  beast::flat_buffer buffer;
  std::uint64_t served = 0;
  try {
    for (;;) {
      // Between requests: wait up to idle_timeout for the first byte. Only
      // here may a drain close the connection.
      if (buffer.size() == 0) {
        // A drain marks the connections it knows; the flag catches those
        // accepted while it ran.
        if (conn->closing || closing.load()) break;
        conn->idle = true;
        // A new connection gets no longer than a request head would for its
        // first byte; only a connection that has served a request may idle.
        conn->stream.expires_after(served == 0 ? settings.header_timeout : settings.idle_timeout);
        auto [read_ec, n] = co_await conn->stream.async_read_some(buffer.prepare(kReadChunkBytes), kTuple);
        conn->idle = false;
        if (read_ec) break;  // closed, idle timeout, or closed by a drain
        buffer.commit(n);
      }

      const auto started = Clock::now();
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
      // No body limit while reading the head (Beast would judge
      // Content-Length against it there, before we know the route); the
      // route's limit is applied below.
      parser.body_limit(boost::none);
      // The whole head must arrive within header_timeout, however slowly it
      // trickles: this is what stops slowloris.
      conn->stream.expires_after(settings.header_timeout);
      auto [head_ec, head_n] = co_await http::async_read_header(conn->stream, buffer, parser, kTuple);
      // Beast applies header_limit to what one parse step sees; a head of
      // many small fields can pass it in pieces. Judge the whole head too.
      if (!head_ec && head_n > settings.max_header_bytes) head_ec = http::error::header_limit;
      if (head_ec) {
        if (head_ec == http::error::header_limit) {
          co_await answer_and_close(*conn, api::make_problem(431, "request-header-fields-too-large",
                                                             "Request header fields too large",
                                                             "request headers are over " +
                                                                 std::to_string(settings.max_header_bytes) + " bytes"));
        } else if (head_ec != http::error::end_of_stream && head_ec != beast::error::timeout &&
                   head_ec != asio::error::eof && head_ec != asio::error::connection_reset &&
                   head_ec != asio::error::operation_aborted) {
          co_await answer_and_close(*conn, api::problem(chat::Code::validation,
                                                        "malformed HTTP request: " + head_ec.message()));
        }
        break;
      }

      // The head is in: build the request and find its route, which decides
      // how much body it may carry.
      auto& head = parser.get();
      api::Request req;
      req.method = to_api_method(head.method());
      const std::string_view target = head.target();
      const auto question = target.find('?');
      req.path = std::string(target.substr(0, question));
      if (question != std::string_view::npos) req.query = std::string(target.substr(question + 1));
      for (const auto& field : head) {
        req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
      }
      req.remote_address = peer_address;
      req.remote_is_loopback = peer_is_loopback;
      const std::string_view incoming_id = req.header("x-request-id");
      req.request_id = is_safe_request_id(incoming_id) ? std::string(incoming_id) : new_request_id();

      if (listener.is_main && parts.stomp && req.path == "/ws/websocket" && host_allowed(req.header("host"))) {
        // From here the connection belongs to the WebSocket. A drain may
        // close it like an idle one: STOMP clients reconnect and catch up.
        conn->idle = true;
        // The WebSocket gets a coroutine of its own and this one ends, so an
        // idle WebSocket does not keep this frame's HTTP state (kilobytes
        // per connection at 10,000 connections).
        auto upgrade = std::make_unique<WebSocketUpgrade>();
        for (const char* name : {"origin", "host", "cookie", "sec-websocket-protocol"}) {
          if (auto v = req.header(name); !v.empty()) upgrade->handshake.headers.emplace_back(name, std::string(v));
        }
        upgrade->handshake.request_id = req.request_id;
        upgrade->request = parser.release();
        asio::co_spawn(conn->stream.get_executor(), websocket_session(conn, id, std::move(upgrade)), asio::detached);
        co_return;
      }

      if (listener.is_main && sockjs && SockJsEndpoint::handles(req.path) && host_allowed(req.header("host"))) {
        // SockJS (/ws/info, /ws/{server}/{session}/{transport}) reads the
        // body and answers by itself: long polls, streams, its WebSocket.
        const bool again = co_await sockjs->serve(conn->stream, buffer, parser, req, conn->idle);
        ++served;
        if (!again || conn->closing || closing.load()) break;
        continue;
      }

      Router::Match match = listener.router->match(req.method, req.path);
      const std::size_t body_limit =
          match.route && match.route->max_body_bytes > 0 ? match.route->max_body_bytes : kIgnoredBodyBytes;
      api::Response response;
      std::string route_label = match.route ? match.route->pattern : "unmatched";
      bool keep_alive = head.keep_alive();
      // Answered before the body was read to its end: the connection closes
      // after the answer, lingering so that the client reads it.
      bool body_unread = false;

      if (const auto length = parser.content_length(); length && *length > body_limit) {
        response = body_too_large(body_limit);
        body_unread = true;
      } else if (match.route && match.route->open_body) {
        auto streamed =
            co_await receive_streamed(*conn, buffer, parser, req, match, listener, route_label, body_limit);
        if (!streamed) break;  // the client went away or stalled mid-body: nobody to answer
        response = std::move(streamed->response);
        body_unread = !streamed->body_read;
      } else {
        if (!parser.is_done()) {
          parser.body_limit(body_limit);
          conn->stream.expires_after(settings.body_timeout);
          auto [body_ec, body_n] = co_await http::async_read(conn->stream, buffer, parser, kTuple);
          if (body_ec == http::error::body_limit) {
            response = body_too_large(body_limit);
            body_unread = true;
          } else if (body_ec) {
            break;  // the client went away or stalled mid-body: nobody to answer
          }
        }
        if (!body_unread) {
          req.body = std::move(parser.get().body());
          response = co_await dispatch(req, match, listener, route_label);
        }
      }
      if (body_unread) keep_alive = false;
      finish_response(response, req);
      if (conn->closing || closing.load()) keep_alive = false;
      const bool written = co_await write_response(*conn, response, req, keep_alive);

      const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
      const std::string method(api::to_string(req.method));
      const std::string status = std::to_string(response.status);
      parts.metrics
          .counter("chattwo_http_requests_total", "HTTP requests by route, method and status.",
                   {{"route", route_label}, {"method", method}, {"status", status}})
          .inc();
      parts.metrics
          .histogram("chattwo_http_request_duration_seconds", "HTTP request latency, head read to response written.",
                     {{"route", route_label}, {"method", method}}, ops::latency_buckets())
          .observe(seconds);
      spdlog::info("{} {} {} {:.1f}ms id={} peer={}", method, req.path, status, seconds * 1000, req.request_id,
                   peer_address);

      ++served;
      if (!written) break;
      if (!keep_alive) {
        if (body_unread) co_await linger_close(*conn);
        break;
      }
    }
  } catch (const std::exception& e) {
    internal_errors.inc();
    spdlog::error("connection from {} failed: {}", peer_address, e.what());
  }

  close_connection(*conn, id);
}

void Server::Impl::close_connection(Connection& conn, std::uint64_t id) {
  boost::system::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.stream.socket().close(ec);
  {
    std::lock_guard lock(conns_mutex);
    conns.erase(id);
  }
  open_gauge.add(-1);
  --open;
}

asio::awaitable<void> Server::Impl::websocket_session(std::shared_ptr<Connection> conn, std::uint64_t id,
                                                      std::unique_ptr<WebSocketUpgrade> upgrade) {
  try {
    auto refused = co_await serve_websocket(conn->stream, std::move(upgrade), origins, *parts.stomp);
    if (refused) co_await answer_and_close(*conn, std::move(*refused));
  } catch (const std::exception& e) {
    internal_errors.inc();
    spdlog::error("websocket connection failed: {}", e.what());
  }
  close_connection(*conn, id);
}

// For a request too broken to route: answer, then close without reading on.
asio::awaitable<void> Server::Impl::answer_and_close(Connection& conn, api::Response r) {
  api::Request unparsed;
  unparsed.request_id = new_request_id();
  finish_response(r, unparsed);
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  for (auto& [k, v] : r.headers) res.insert(k, v);
  res.keep_alive(false);
  res.body() = std::move(r.body);
  res.prepare_payload();
  conn.stream.expires_after(settings.body_timeout);
  auto [ec, n] = co_await http::async_write(conn.stream, res, kTuple);
  if (!ec) co_await linger_close(conn);
}

asio::awaitable<void> Server::Impl::linger_close(Connection& conn) {
  boost::system::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.stream.expires_after(kLingerTime);
  std::size_t drained = 0;
  char sink[8192];
  while (drained < kLingerBytes) {
    auto [read_ec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), kTuple);
    if (read_ec) break;
    drained += n;
  }
}

// The answers given without running the route's code: a foreign Host, no
// route (or a static file), 405, a bad path, a foreign Origin.
std::optional<api::Response> Server::Impl::answer_without_handler(const api::Request& req,
                                                                  const Router::Match& match,
                                                                  const Listener& listener,
                                                                  std::string& route_label) const {
  if (!host_allowed(req.header("host"))) {
    return api::problem(chat::Code::validation,
                        "this server does not answer for that Host; use its own address or --public-url");
  }
  switch (match.outcome) {
    case Router::Outcome::found:
      break;
    case Router::Outcome::method_not_allowed:
      return api::method_not_allowed(match.allow);
    case Router::Outcome::bad_path:
      return api::problem(chat::Code::validation, "the path has a malformed %-escape");
    case Router::Outcome::not_found:
      if (listener.is_main && parts.static_files &&
          (req.method == api::Method::get || req.method == api::Method::head)) {
        if (auto decoded = api::percent_decode(req.path)) {
          if (auto file = parts.static_files->serve(*decoded, req.header("if-none-match"))) {
            route_label = "static";
            return std::move(*file);
          }
        }
      }
      return api::problem(chat::Code::not_found, "no such resource: " + req.path);
  }

  // A browser page of another site must not make us change state, whatever
  // cookies it carries. Non-browser clients send no Origin and pass.
  if (api::is_unsafe(req.method) && !origins.allows(req.header("origin"), req.header("host"))) {
    return api::problem(chat::Code::forbidden, "requests from this Origin are not allowed");
  }
  return std::nullopt;
}

asio::awaitable<api::Response> Server::Impl::dispatch(api::Request& req, const Router::Match& match,
                                                      Listener& listener, std::string& route_label) {
  if (auto early = answer_without_handler(req, match, listener, route_label)) co_return std::move(*early);

  req.path_params = match.params;
  const api::Route& route = *match.route;
  try {
    switch (route.runs) {
      case api::Runs::inline_on_network_thread:
        co_return route.handler(req);
      case api::Runs::on_storage_workers:
        co_return co_await offload(parts.storage_workers, [&route, &req] { return route.handler(req); });
      case api::Runs::on_hashing_workers:
        co_return co_await offload(parts.hashing_workers, [&route, &req] { return route.handler(req); });
      case api::Runs::on_media_workers:
        co_return co_await offload(media_workers(), [&route, &req] { return route.handler(req); });
    }
    co_return api::problem(chat::Code::internal, "route has no executor");
  } catch (const PoolOverloaded&) {
    co_return server_busy();
  } catch (const std::exception& e) {
    internal_errors.inc();
    spdlog::error("request {} {} {} failed: {}", req.request_id, api::to_string(req.method), req.path, e.what());
    co_return api::problem(chat::Code::internal, "an internal error occurred; request id " + req.request_id);
  }
}

template <class Fn>
asio::awaitable<std::invoke_result_t<Fn&>> Server::Impl::run_where(api::Runs runs, Fn fn) {
  switch (runs) {
    case api::Runs::inline_on_network_thread:
      co_return fn();
    case api::Runs::on_storage_workers:
      co_return co_await offload(parts.storage_workers, std::move(fn));
    case api::Runs::on_hashing_workers:
      co_return co_await offload(parts.hashing_workers, std::move(fn));
    case api::Runs::on_media_workers:
      co_return co_await offload(media_workers(), std::move(fn));
  }
  throw std::logic_error("route has no executor");
}

// A streaming route (Route::open_body): the same checks as any route, then
// the body goes to the route's sink chunk by chunk.
asio::awaitable<std::optional<Server::Impl::Streamed>> Server::Impl::receive_streamed(
    Connection& conn, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
    api::Request& req, const Router::Match& match, Listener& listener, std::string& route_label,
    std::size_t body_limit) {
  // Refused before its code runs (foreign Origin, ...): the body, up to
  // 10 MiB, is not read into memory to keep the connection; it closes.
  if (auto early = answer_without_handler(req, match, listener, route_label)) {
    co_return Streamed{std::move(*early), parser.is_done()};
  }
  req.path_params = match.params;
  const api::Route& route = *match.route;

  std::unique_ptr<api::BodySink> sink;
  std::optional<Streamed> result;
  try {
    result = co_await pump_body(conn, buffer, parser, req, route, body_limit, sink);
  } catch (const PoolOverloaded&) {
    result = Streamed{server_busy(), false};
  } catch (const std::exception& e) {
    internal_errors.inc();
    spdlog::error("request {} {} {} failed: {}", req.request_id, api::to_string(req.method), req.path, e.what());
    result = Streamed{api::problem(chat::Code::internal, "an internal error occurred; request id " + req.request_id),
                      false};
  }
  // Still here: the body did not complete (or write() answered). The sink
  // cleans up in its destructor (a temporary file): on a worker too.
  if (sink) co_await dispose(route.runs, std::move(sink));
  co_return result;
}

// Opens the sink and feeds it the body; nullopt when the client went away
// or stalled. Throws what run_where throws.
asio::awaitable<std::optional<Server::Impl::Streamed>> Server::Impl::pump_body(
    Connection& conn, beast::flat_buffer& buffer, http::request_parser<http::string_body>& head_parser,
    api::Request& req, const api::Route& route, std::size_t body_limit, std::unique_ptr<api::BodySink>& sink) {
  api::BodyOpening opening = co_await run_where(route.runs, [&route, &req] { return route.open_body(req); });
  if (auto* answer = std::get_if<api::Response>(&opening)) {
    // E.g. 401 before a byte of the body was read. A client that sent
    // Expect: 100-continue now sends none (RFC 9110 10.1.1).
    co_return Streamed{std::move(*answer), head_parser.is_done()};
  }
  sink = std::move(std::get<std::unique_ptr<api::BodySink>>(opening));
  if (!sink) throw std::logic_error("open_body of " + route.pattern + " gave no sink");

  if (!head_parser.is_done()) {
    if (head_parser.get().version() >= 11 && equals_ignoring_case(req.header("expect"), "100-continue")) {
      // curl waits a second for this before sending a large body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      conn.stream.expires_after(settings.body_timeout);
      auto [continue_ec, continue_n] = co_await asio::async_write(conn.stream, asio::buffer(kContinue), kTuple);
      if (continue_ec) co_return std::nullopt;
    }

    // The head was read with a string_body parser; Beast lets a parser
    // that has not touched the body change its body type. buffer_body
    // puts each piece of the body (chunked coding removed) into our buffer
    // and stops when it is full: one chunk in memory, whatever the size.
    http::request_parser<http::buffer_body> parser(std::move(head_parser));
    parser.body_limit(body_limit);
    auto chunk = std::make_unique_for_overwrite<char[]>(kStreamChunkBytes);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.get();
      parser.get().body().size = kStreamChunkBytes;
      // body_timeout bounds the wait for each chunk (as nginx's
      // client_body_timeout bounds each read), not the whole body: a 10 MiB
      // upload from a phone may well take longer than 30 s. The time the
      // sink takes on a worker does not count against the client.
      conn.stream.expires_after(settings.body_timeout);
      auto [read_ec, read_n] = co_await http::async_read(conn.stream, buffer, parser, kTuple);
      if (read_ec == http::error::need_buffer) read_ec = {};  // the chunk is full
      if (read_ec == http::error::body_limit) co_return Streamed{body_too_large(body_limit), false};
      if (read_ec) co_return std::nullopt;
      const std::size_t got = kStreamChunkBytes - parser.get().body().size;
      if (got == 0) continue;
      // The next chunk is read only once the sink has this one: a slow disk
      // slows the client down (TCP backpressure) instead of filling memory.
      std::optional<api::Response> stop = co_await run_where(
          route.runs, [&sink, &chunk, got] { return sink->write(std::string_view(chunk.get(), got)); });
      if (stop) co_return Streamed{std::move(*stop), parser.is_done()};
    }
  }

  api::Response answer = co_await run_where(route.runs, [&sink] {
    api::Response r = sink->finish();
    sink.reset();  // here, on the worker: its destructor may touch files
    return r;
  });
  co_return Streamed{std::move(answer), true};
}

asio::awaitable<void> Server::Impl::dispose(api::Runs runs, std::unique_ptr<api::BodySink> sink) {
  try {
    co_await run_where(runs, [&sink] {
      sink.reset();
      return true;
    });
  } catch (const PoolOverloaded&) {
    // The workers are full: the sink is destroyed here, on return.
  }
}

// Sends the head and the body (or its stream). False when the connection
// cannot carry another request: the write failed, or a streamed body could
// not be read to its end after the head promised its length.
asio::awaitable<bool> Server::Impl::write_response(Connection& conn, api::Response& response,
                                                   const api::Request& req, bool keep_alive) {
  if (!response.stream) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
    for (auto& [k, v] : response.headers) res.insert(k, v);  // insert: Set-Cookie may repeat
    res.keep_alive(keep_alive);
    res.body() = std::move(response.body);
    res.prepare_payload();
    if (req.method == api::Method::head) res.body().clear();  // Content-Length stays: RFC 9110 9.3.2
    conn.stream.expires_after(settings.body_timeout);
    auto [write_ec, write_n] = co_await http::async_write(conn.stream, res, kTuple);
    co_return !write_ec;
  }

  api::ResponseBody& body = *response.stream;
  const std::uint64_t size = body.size();
  http::response<http::empty_body> res{static_cast<http::status>(response.status), 11};
  for (auto& [k, v] : response.headers) res.insert(k, v);
  res.keep_alive(keep_alive);
  res.content_length(size);
  conn.stream.expires_after(settings.body_timeout);
  auto [head_ec, head_n] = co_await http::async_write(conn.stream, res, kTuple);
  if (head_ec) co_return false;
  if (req.method == api::Method::head) co_return true;  // the head alone, with the body's length

  // Read a chunk on a worker (disk I/O), write it, then read the next: one
  // chunk in memory, and a client that reads slowly slows the disk reads.
  auto chunk = std::make_unique_for_overwrite<char[]>(kStreamChunkBytes);
  std::uint64_t sent = 0;
  while (sent < size) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kStreamChunkBytes, size - sent));
    std::optional<std::string> failure;
    std::size_t got = 0;
    try {
      auto read = co_await offload(parts.storage_workers, [&body, &chunk, sent, want] {
        return body.read(sent, std::span<char>(chunk.get(), want));
      });
      if (!read) {
        failure = read.error().detail;
      } else if (*read == 0 || *read > want) {
        failure = "it read " + std::to_string(*read) + " bytes where " + std::to_string(want) + " were due";
      } else {
        got = *read;
      }
    } catch (const std::exception& e) {
      failure = e.what();  // PoolOverloaded too: the head is out, a 503 can no longer be sent
    }
    if (failure) {
      internal_errors.inc();
      spdlog::error("request {} {} {}: the response body failed after {} of {} bytes: {}", req.request_id,
                    api::to_string(req.method), req.path, sent, size, *failure);
      co_return false;
    }
    conn.stream.expires_after(settings.body_timeout);
    auto [write_ec, write_n] = co_await asio::async_write(conn.stream, asio::buffer(chunk.get(), got), kTuple);
    if (write_ec) co_return false;
    sent += got;
  }
  co_return true;
}

// DNS rebinding: a page on evil.example can re-point its name to 127.0.0.1
// and then talk to a server on loopback as if same-origin. Such requests
// carry Host: evil.example, so a loopback server answers only loopback names
// (and the configured public host). A server on a real interface is behind
// DNS the operator controls, and takes any Host.
bool Server::Impl::host_allowed(std::string_view host) const {
  if (!listens_on_loopback) return true;
  std::string_view name = host;
  if (name.starts_with('[')) {
    name = name.substr(0, name.find(']') + 1);
  } else if (auto colon = name.rfind(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  if (name == "localhost" || name == "[::1]" || name.starts_with("127.") || name.ends_with(".localhost")) return true;
  return !settings.public_host.empty() && name == settings.public_host;
}

void Server::Impl::finish_response(api::Response& r, const api::Request& req) const {
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("X-Request-Id", req.request_id);
  r.set_header("Referrer-Policy", "same-origin");
  if (r.status == 401) r.set_header("WWW-Authenticate", "Bearer realm=\"chattwo\"");  // RFC 9110 11.6.1
  if (r.header("Cache-Control").empty() && req.path.starts_with("/api/")) r.set_header("Cache-Control", "no-store");
}

}  // namespace chattwo::net
