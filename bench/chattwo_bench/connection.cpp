#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/parse.hpp>

#include <netinet/in.h>

#include <charconv>
#include <iostream>
#include <unordered_set>

#include "stomp/codec/parser.hpp"
#include "wire.hpp"

namespace chattwo::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Error lines printed on stderr for the whole run; the rest are counted only.
constexpr int kPrintedErrors = 10;
// Largest WebSocket message we accept: the server may coalesce many
// MESSAGE frames (each at most 64 KiB by API.md) into one.
constexpr std::size_t kMaxMessageBytes = 16 << 20;
// The client-side parser's frame limit: a Message with 10,000 code points
// of text is well under this.
constexpr std::size_t kMaxFrameBytes = 1 << 20;

std::uint64_t to_ns(Clock::time_point t) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

using IpBindAddressNoPort = asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

class StompConnection final : public Connection, public std::enable_shared_from_this<StompConnection> {
 public:
  StompConnection(asio::io_context& ioc, ClientContext& context, ConnectionSpec spec, ThreadStats& stats)
      : context_(context),
        spec_(std::move(spec)),
        stats_(stats),
        ws_(ioc),
        parser_(stomp::ParserLimits{.max_frame_bytes = kMaxFrameBytes, .max_headers = 64, .max_line_bytes = 16 * 1024}),
        wake_(ioc),
        watchdog_(ioc) {}

  void start() override {
    auto self = shared_from_this();
    asio::co_spawn(ws_.get_executor(), run(), [self](std::exception_ptr e) { self->report_exception(e); });
  }

  void begin_publishing(Clock::time_point first_send) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), first_send] {
      if (!self->spec_.publisher || self->stop_requested_) return;
      self->publishing_ = true;
      self->next_send_ = first_send;
      self->wake_.cancel();
    });
  }

  void stop() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->stop_requested_ = true;
      self->publishing_ = false;
      self->wake_.cancel();
      // Still setting up: nothing to say goodbye to.
      if (!self->ready_) beast::get_lowest_layer(self->ws_).close();
    });
  }

 private:
  asio::awaitable<void> run() {
    auto self = shared_from_this();
    asio::co_spawn(ws_.get_executor(), watch_setup(), asio::detached);
    if (!co_await set_up()) {
      setup_failed();
      co_return;
    }
    ready_ = true;
    watchdog_.cancel();
    stats_.ready.add();
    setup_done();
    asio::co_spawn(ws_.get_executor(), write_loop(), [self](std::exception_ptr e) { self->report_exception(e); });
    while (co_await read_once()) {
    }
    closed_ = true;
    wake_.cancel();
    stats_.closed.add();
    if (!stop_requested_) {
      stats_.dropped.add();
      print_error("connection " + std::to_string(spec_.index) + " ended: " + last_error_);
    }
  }

  // Closes the socket if setup has not finished in time, which makes the
  // pending connect, handshake or read fail.
  asio::awaitable<void> watch_setup() {
    auto self = shared_from_this();
    watchdog_.expires_after(context_.setup_timeout);
    auto [ec] = co_await watchdog_.async_wait(kTuple);
    if (!ec && !ready_ && !setup_reported_) {
      last_error_ = "setup timed out";
      beast::get_lowest_layer(ws_).close();
    }
  }

  asio::awaitable<bool> set_up() {
    auto& layer = beast::get_lowest_layer(ws_);
    if (context_.spread_source_addresses) {
      beast::error_code ec;
      layer.socket().open(tcp::v4(), ec);
      // Let connect() pick the port per destination (Linux 4.2+), so bind
      // does not reserve one of the address's ephemeral ports by itself.
      if (!ec) layer.socket().set_option(IpBindAddressNoPort(true), ec);
      const auto source = asio::ip::address_v4(
          static_cast<asio::ip::address_v4::uint_type>(0x7F000001 + spec_.index / context_.connections_per_source_address));
      if (!ec) layer.socket().bind(tcp::endpoint(source, 0), ec);
      if (ec) {
        last_error_ = "bind " + source.to_string() + ": " + ec.message();
        co_return false;
      }
    }
    if (auto [ec] = co_await layer.async_connect(context_.server, kTuple); ec) {
      last_error_ = "connect: " + ec.message();
      co_return false;
    }
    layer.socket().set_option(tcp::no_delay(true));
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(http::field::sec_websocket_protocol, "v12.stomp");
      req.set(http::field::user_agent, "chattwo-bench");
    }));
    ws_.read_message_max(kMaxMessageBytes);
    websocket::response_type res;
    if (auto [ec] = co_await ws_.async_handshake(res, context_.host_header, "/ws/websocket", kTuple); ec) {
      last_error_ = "handshake: " + ec.message();
      if (res.result_int() != 0) last_error_ += " (HTTP " + std::to_string(res.result_int()) + ")";
      co_return false;
    }
    // None chosen is tolerated (the STOMP frames still say 1.2); another is not.
    if (const auto chosen = res[http::field::sec_websocket_protocol]; !chosen.empty() && chosen != "v12.stomp") {
      last_error_ = "handshake: server chose subprotocol '" + std::string(res[http::field::sec_websocket_protocol]) + "'";
      co_return false;
    }
    // From here the websocket stream keeps its own time: a close handshake
    // gets close_timeout; idle connections are held without limit.
    ws_.set_option(websocket::stream_base::timeout{context_.close_timeout, websocket::stream_base::none(), false});
    ws_.text(true);

    if (!co_await write(connect_frame(context_.stomp_host, spec_.token))) co_return false;
    while (!connected_) {
      if (!co_await read_once()) co_return false;
    }
    const std::string destination = spec_.publisher ? "/user/queue/errors" : room_topic(spec_.room_id);
    if (!co_await write(subscribe_frame("0", destination, "sub"))) co_return false;
    while (!subscribed_) {
      if (!co_await read_once()) co_return false;
    }
    send_destination_ = room_send_destination(spec_.room_id);
    co_return true;
  }

  void setup_failed() {
    stats_.failed.add();
    print_error("connection " + std::to_string(spec_.index) + " failed: " + last_error_);
    beast::get_lowest_layer(ws_).close();
    watchdog_.cancel();
    setup_done();
  }

  void setup_done() {
    if (setup_reported_) return;
    setup_reported_ = true;
    if (context_.on_setup_done) context_.on_setup_done();
  }

  // Publishers: SEND while the window allows (and, at a fixed rate, when
  // the schedule says). Everyone: on stop, DISCONNECT and close. The only
  // writer once setup is over, so writes never overlap.
  asio::awaitable<void> write_loop() {
    auto self = shared_from_this();
    while (!closed_ && !stop_requested_) {
      if (publishing_ && pending_.size() < context_.window) {
        std::uint64_t stamp = 0;
        if (context_.send_interval.count() == 0) {
          stamp = to_ns(Clock::now());
        } else {
          if (Clock::now() < next_send_) {
            wake_.expires_at(next_send_);
            co_await wake_.async_wait(kTuple);
            continue;
          }
          // The scheduled time, not the actual one: a server that makes us
          // fall behind is charged for the wait (no coordinated omission).
          stamp = to_ns(next_send_);
          next_send_ += context_.send_interval;
        }
        if (!co_await send_message(stamp)) break;
        continue;
      }
      // Woken by a RECEIPT, begin_publishing or stop.
      wake_.expires_at(Clock::time_point::max());
      co_await wake_.async_wait(kTuple);
    }
    if (!closed_ && co_await write(disconnect_frame("bye"))) {
      const auto deadline = Clock::now() + context_.close_timeout;
      while (!bye_ && !closed_ && Clock::now() < deadline) {
        wake_.expires_at(deadline);
        co_await wake_.async_wait(kTuple);
      }
      if (!closed_) co_await ws_.async_close(websocket::close_code::normal, kTuple);
    }
    // Whatever the server did, the reader must end.
    beast::get_lowest_layer(ws_).close();
  }

  asio::awaitable<bool> send_message(std::uint64_t stamp) {
    const std::uint64_t seq = ++sequence_;
    pending_.insert(seq);
    const std::string client_msg_id = context_.run_id + "-" + std::to_string(spec_.index) + "-" + std::to_string(seq);
    stats_.sent.add();
    co_return co_await write(send_frame(send_destination_, "s" + std::to_string(seq),
                                        make_send_body(stamp, client_msg_id, context_.text_bytes)));
  }

  // By value: a coroutine must own what it reads after its first suspension.
  asio::awaitable<bool> write(stomp::Frame frame) {
    out_.clear();
    stomp::serialize(frame, stomp::Version::v1_2, out_);
    auto [ec, n] = co_await ws_.async_write(asio::buffer(out_), kTuple);
    if (ec) {
      last_error_ = "write: " + ec.message();
      co_return false;
    }
    co_return true;
  }

  // Reads one WebSocket message and handles every frame in it. false when
  // the connection is over (closed, I/O error, ERROR frame, bad frame).
  asio::awaitable<bool> read_once() {
    auto [ec, n] = co_await ws_.async_read(in_, kTuple);
    if (ec) {
      if (last_error_.empty() || ready_) last_error_ = "read: " + ec.message();
      co_return false;
    }
    const auto data = in_.cdata();
    parser_.feed(std::string_view(static_cast<const char*>(data.data()), data.size()));
    in_.consume(in_.size());
    // One clock read per WebSocket message: frames coalesced into it
    // arrived together.
    const std::uint64_t now = to_ns(Clock::now());
    while (true) {
      auto item = parser_.next();
      if (std::holds_alternative<stomp::NeedMore>(item)) break;
      if (std::holds_alternative<stomp::HeartBeat>(item)) continue;
      if (auto* err = std::get_if<stomp::ParseError>(&item)) {
        stats_.stomp_errors.add();
        last_error_ = "bad frame from server: " + std::string(stomp::describe(*err));
        co_return false;
      }
      if (!handle(std::get<stomp::Frame>(item), now)) co_return false;
    }
    co_return true;
  }

  bool handle(const stomp::Frame& f, std::uint64_t now) {
    switch (f.command) {
      case stomp::Command::message: on_message(f, now); return true;
      case stomp::Command::receipt: on_receipt(f.header("receipt-id").value_or("")); return true;
      case stomp::Command::connected: connected_ = true; return true;
      case stomp::Command::error: {
        stats_.stomp_errors.add();
        last_error_ = "ERROR " + std::string(f.header("message").value_or("")) + " " + f.body.substr(0, 200);
        return false;
      }
      default: return true;
    }
  }

  void on_message(const stomp::Frame& f, std::uint64_t now) {
    const auto destination = f.header("destination").value_or("");
    if (destination.starts_with("/user/queue/errors")) {
      on_rejected(f);
      return;
    }
    if (f.header("event").value_or("message") != "message") {
      stats_.other_events.add();
      return;
    }
    const auto sent_ns = parse_send_ns(f.body);
    if (!sent_ns) {
      stats_.other_events.add();
      return;
    }
    stats_.delivered.add();
    stats_.latency.record(now > *sent_ns ? now - *sent_ns : 0);
  }

  void on_receipt(std::string_view id) {
    if (id == "sub") {
      subscribed_ = true;
    } else if (id == "bye") {
      bye_ = true;
      wake_.cancel();
    } else if (id.starts_with('s')) {
      if (release(id)) stats_.acked.add();
    }
  }

  // A SEND the server refused: /user/queue/errors with the problem+json,
  // whose receiptId frees its place in the window.
  void on_rejected(const stomp::Frame& f) {
    stats_.rejected.add();
    boost::system::error_code ec;
    auto doc = boost::json::parse(f.body, ec);
    if (!ec && doc.is_object()) {
      if (const auto* r = doc.as_object().if_contains("receiptId"); r != nullptr && r->is_string()) {
        release(r->as_string());
      }
    }
    print_error("rejected on connection " + std::to_string(spec_.index) + ": " + f.body.substr(0, 300));
  }

  bool release(std::string_view receipt) {
    if (!receipt.starts_with('s')) return false;
    std::uint64_t seq = 0;
    auto [ptr, ec] = std::from_chars(receipt.data() + 1, receipt.data() + receipt.size(), seq);
    if (ec != std::errc{} || pending_.erase(seq) == 0) return false;
    wake_.cancel();
    return true;
  }

  void print_error(const std::string& line) {
    const int n = context_.printed_errors++;
    if (n < kPrintedErrors) std::cerr << line << '\n';
    if (n == kPrintedErrors) std::cerr << "(further errors are only counted)\n";
  }

  void report_exception(std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      print_error("connection " + std::to_string(spec_.index) + ": exception: " + ex.what());
    }
    if (!setup_reported_) setup_failed();
  }

  ClientContext& context_;
  const ConnectionSpec spec_;
  ThreadStats& stats_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer in_;
  stomp::Parser parser_;
  asio::steady_timer wake_;      // the writer's only wait: schedule, window, stop
  asio::steady_timer watchdog_;  // setup deadline
  std::string out_;              // the frame being written
  std::string send_destination_;
  std::string last_error_;
  std::unordered_set<std::uint64_t> pending_;  // SENDs without RECEIPT yet
  std::uint64_t sequence_ = 0;
  Clock::time_point next_send_{};
  bool connected_ = false;
  bool subscribed_ = false;
  bool ready_ = false;
  bool setup_reported_ = false;
  bool publishing_ = false;
  bool stop_requested_ = false;
  bool bye_ = false;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<Connection> Connection::make(asio::io_context& ioc, ClientContext& context, ConnectionSpec spec,
                                             ThreadStats& stats) {
  return std::make_shared<StompConnection>(ioc, context, std::move(spec), stats);
}

}  // namespace chattwo::bench
