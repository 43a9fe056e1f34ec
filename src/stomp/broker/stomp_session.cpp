#include "stomp/broker/stomp_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <deque>
#include <map>
#include <vector>

#include "stomp/broker/offload.hpp"

namespace chattwo::stomp::broker {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kServerName = "chattwo/0.1";

std::shared_ptr<const std::string> text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

// "cx,cy" from a heart-beat header; {0,0} when absent or malformed.
std::pair<std::uint64_t, std::uint64_t> parse_heartbeat(std::optional<std::string_view> value) {
  if (!value) return {0, 0};
  const auto comma = value->find(',');
  if (comma == std::string_view::npos) return {0, 0};
  std::uint64_t a = 0, b = 0;
  auto first = value->substr(0, comma), second = value->substr(comma + 1);
  if (std::from_chars(first.data(), first.data() + first.size(), a).ec != std::errc{} ||
      std::from_chars(second.data(), second.data() + second.size(), b).ec != std::errc{}) {
    return {0, 0};
  }
  return {a, b};
}

// The highest version both sides speak; 1.0 when the client names none.
std::optional<Version> negotiate(std::optional<std::string_view> accept) {
  if (!accept) return Version::v1_0;
  std::optional<Version> best;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view v = rest.substr(0, comma);
    if (v == "1.2") best = Version::v1_2;
    else if (v == "1.1" && best != Version::v1_2) best = Version::v1_1;
    else if (v == "1.0" && !best) best = Version::v1_0;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return best;
}

std::string_view version_text(Version v) {
  switch (v) {
    case Version::v1_0: return "1.0";
    case Version::v1_1: return "1.1";
    case Version::v1_2: return "1.2";
  }
  return "1.2";
}

// The shared state of one connection: its reader (serve_stomp's loop) and
// its writer coroutine run on the same strand.
struct Session : std::enable_shared_from_this<Session> {
  Session(Transport& t, SessionContext& c, asio::any_io_executor ex)
      : transport(t), ctx(c), executor(ex), wake(ex), id(std::to_string(c.next_connection_id.fetch_add(1))) {}

  Transport& transport;
  SessionContext& ctx;
  asio::any_io_executor executor;
  asio::steady_timer wake;  // the writer sleeps on it; cancel() wakes it
  asio::steady_timer writer_finished{executor, asio::steady_timer::time_point::max()};  // cancelled when the writer ends
  std::string cookie_secret;
  Version parser_version = Version::v1_2;

  // Reading and processing are two coroutines, so that while a batch of
  // SENDs is being stored the next frames are already read: a pipelining
  // client's SENDs then reach storage many at a time (one commit), in order.
  std::deque<Frame> inbound;
  asio::steady_timer inbound_ready{executor, asio::steady_timer::time_point::max()};
  asio::steady_timer inbound_space{executor, asio::steady_timer::time_point::max()};
  asio::steady_timer connect_handled{executor, asio::steady_timer::time_point::max()};
  asio::steady_timer processor_finished{executor, asio::steady_timer::time_point::max()};
  bool reader_done = false;
  bool processor_done = false;
  std::shared_ptr<Outbox> outbox;
  const std::string id;

  Version version = Version::v1_2;
  bool connected = false;
  api::StompUser user;
  std::chrono::milliseconds send_heartbeat{0};     // we write at least this often (0: never)
  std::chrono::milliseconds expect_heartbeat{0};   // the client must, within a grace
  bool closing = false;      // flush what is queued, then close
  bool writer_done = false;
  std::map<std::string, std::string, std::less<>> subscriptions;  // id -> bus topic ("" for local queues)
  std::optional<std::string> errors_subscription;  // the id subscribed to /user/queue/errors
  std::string revoke_topic;  // "sessions.<id>" once connected

  std::string key(std::string_view sub_id) const { return id + "/" + std::string(sub_id); }

  void queue(std::string frame) { outbox->push(OutFrame{text(std::move(frame)), nullptr}); }

  void queue(const Frame& frame) {
    std::string out;
    serialize(frame, version, out);
    queue(std::move(out));
  }

  // A protocol violation: ERROR, then close (spec: the server closes after ERROR).
  void fatal(std::string_view message, std::string_view detail = {}) {
    Frame error{Command::error, {{"message", std::string(message)}, {"content-type", "text/plain"}}, std::string(detail)};
    queue(error);
    closing = true;
    wake.cancel();
  }

  void receipt(const Frame& frame) {
    if (auto r = frame.header("receipt")) queue(Frame{Command::receipt, {{"receipt-id", std::string(*r)}}, ""});
  }

  // An application-level refusal: a MESSAGE on /user/queue/errors, if the
  // client listens there; the connection stays up.
  void app_error(const std::string& problem_json) {
    if (!errors_subscription) return;
    Frame m{Command::message,
            {{"subscription", *errors_subscription},
             {"destination", "/user/queue/errors"},
             {"message-id", "err-" + id + "-" + std::to_string(++error_count)},
             {"event", "error"},
             {"content-type", "application/json"}},
            problem_json};
    queue(m);
  }
  std::uint64_t error_count = 0;

  asio::awaitable<void> handle(Frame frame);
  asio::awaitable<void> process_loop();
  asio::awaitable<void> handle_all(std::vector<Frame>& frames);
  asio::awaitable<void> on_sends(std::vector<Frame>& frames, std::size_t begin, std::size_t end);
  asio::awaitable<void> on_connect(const Frame& frame);
  asio::awaitable<void> on_subscribe(const Frame& frame);
  void on_unsubscribe(const Frame& frame);
  asio::awaitable<void> write_loop();
  void leave_hub();
};

asio::awaitable<void> Session::handle(Frame frame) {
  if (!connected) {
    if (frame.command == Command::connect || frame.command == Command::stomp) co_await on_connect(frame);
    else fatal("not connected", "send CONNECT first");
    co_return;
  }
  switch (frame.command) {
    case Command::subscribe: co_await on_subscribe(frame); break;
    case Command::unsubscribe: on_unsubscribe(frame); break;
    case Command::send:  // handle_all() sends runs of SENDs to on_sends()
      break;
    case Command::disconnect:
      receipt(frame);
      closing = true;
      wake.cancel();
      break;
    case Command::ack:
    case Command::nack:
    case Command::begin:
    case Command::commit:
    case Command::abort:
      // Subscriptions are auto-ack and sends are not transactional: nothing
      // to do, but a receipt when asked keeps clients that wait for one going.
      receipt(frame);
      break;
    case Command::connect:
    case Command::stomp: fatal("already connected"); break;
    default: fatal("unexpected frame", "clients may not send server frames");
  }
}

asio::awaitable<void> Session::on_connect(const Frame& frame) {
  const auto negotiated = negotiate(frame.header("accept-version"));
  if (!negotiated) {
    Frame error{Command::error, {{"message", "unsupported protocol version"}, {"version", "1.0,1.1,1.2"}}, ""};
    queue(error);
    closing = true;
    wake.cancel();
    co_return;
  }
  version = *negotiated;

  std::string bearer;
  if (auto auth = frame.header("Authorization")) {
    if (auth->size() > 7 && (auth->starts_with("Bearer ") || auth->starts_with("bearer "))) bearer = auth->substr(7);
  }
  api::StompApp& app = ctx.app;
  // Named, not a temporary in the co_await: GCC 12 destroys such temporaries
  // twice when they own memory (a double free). Same below.
  auto authenticate = [&app, bearer, this] { return app.authenticate(bearer, cookie_secret); };
  auto result = co_await offload(ctx.workers, std::move(authenticate));
  if (!result) {
    fatal("unauthenticated", "sign in first: a session cookie on the handshake or Authorization: Bearer on CONNECT");
    co_return;
  }
  user = std::move(*result);
  connected = true;
  // A logout elsewhere must end this connection: listen for its revocation.
  revoke_topic = "sessions." + user.session_id;
  ctx.hub.subscribe(revoke_topic, key("#revoke"), Subscription{outbox, nullptr});

  const auto [cx, cy] = parse_heartbeat(frame.header("heart-beat"));
  const auto ours = static_cast<std::uint64_t>(ctx.limits.heartbeat.count());
  // Spec: each direction runs at the slower of what one side can and the other wants.
  send_heartbeat = std::chrono::milliseconds(cy == 0 || ours == 0 ? 0 : std::max(ours, cy));
  expect_heartbeat = std::chrono::milliseconds(cx == 0 || ours == 0 ? 0 : std::max(ours, cx));
  parser_version = version;

  Frame connected_frame{Command::connected,
                        {{"version", std::string(version_text(version))},
                         {"heart-beat", std::to_string(ours) + "," + std::to_string(ours)},
                         {"server", std::string(kServerName)},
                         {"session", id},
                         {"user-name", user.user_id}},
                        ""};
  queue(connected_frame);
  receipt(frame);
}

asio::awaitable<void> Session::process_loop() {
  auto self = shared_from_this();
  for (;;) {
    if (inbound.empty()) {
      if (reader_done || closing) break;
      inbound_ready.expires_at(asio::steady_timer::time_point::max());
      co_await inbound_ready.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    std::vector<Frame> frames(std::make_move_iterator(inbound.begin()), std::make_move_iterator(inbound.end()));
    inbound.clear();
    inbound_space.cancel();
    co_await handle_all(frames);
    connect_handled.cancel();
    if (closing) break;
  }
  processor_done = true;
  processor_finished.cancel();
}

// Frames in order; each run of consecutive SENDs goes to storage as one batch.
asio::awaitable<void> Session::handle_all(std::vector<Frame>& frames) {
  std::size_t i = 0;
  while (i < frames.size() && !closing) {
    if (connected && frames[i].command == Command::send) {
      std::size_t j = i;
      while (j < frames.size() && frames[j].command == Command::send) ++j;
      co_await on_sends(frames, i, j);
      i = j;
    } else {
      co_await handle(std::move(frames[i]));
      connect_handled.cancel();
      ++i;
    }
  }
}

asio::awaitable<void> Session::on_sends(std::vector<Frame>& frames, std::size_t begin, std::size_t end) {
  // The valid prefix is performed; a SEND the protocol forbids ends the connection after it.
  std::vector<api::StompApp::SendItem> items;
  std::size_t valid_end = begin;
  for (; valid_end < end; ++valid_end) {
    const auto destination = frames[valid_end].header("destination");
    if (!destination || !destination->starts_with("/app/")) break;
    items.push_back({std::string(*destination), std::move(frames[valid_end].body),
                     std::string(frames[valid_end].header("receipt").value_or(""))});
  }
  if (!items.empty()) {
    api::StompApp& app = ctx.app;
    const api::StompUser who = user;
    auto perform = [&app, who, &items] { return app.send_batch(who, items); };
    auto results = co_await offload(ctx.workers, std::move(perform));
    for (std::size_t k = 0; k < results.size(); ++k) {
      if (results[k]) {
        app_error(*results[k]);
      } else if (!items[k].receipt.empty()) {
        queue(Frame{Command::receipt, {{"receipt-id", items[k].receipt}}, ""});  // only now: stored
      }
    }
  }
  if (valid_end < end) {
    if (!frames[valid_end].header("destination")) fatal("malformed SEND", "SEND needs a destination header");
    else fatal("forbidden destination", "clients may SEND only to /app/ destinations");
  }
}

asio::awaitable<void> Session::on_subscribe(const Frame& frame) {
  const auto sub_id = frame.header("id");
  const auto destination = frame.header("destination");
  if (!destination || (!sub_id && version != Version::v1_0)) {
    fatal("malformed SUBSCRIBE", "SUBSCRIBE needs destination and id headers");
    co_return;
  }
  // 1.0 allowed SUBSCRIBE without id; the destination then names it.
  const std::string id_text(sub_id ? *sub_id : *destination);
  if (subscriptions.contains(id_text)) {
    fatal("duplicate subscription id", id_text);
    co_return;
  }
  if (subscriptions.size() >= ctx.limits.max_subscriptions) {
    fatal("too many subscriptions", "at most " + std::to_string(ctx.limits.max_subscriptions) + " per connection");
    co_return;
  }
  const std::string dest(*destination);
  if (dest == "/user/queue/errors") {
    errors_subscription = id_text;
    subscriptions.emplace(id_text, "");
    receipt(frame);
    co_return;
  }
  api::StompApp& app = ctx.app;
  const api::StompUser who = user;
  auto authorize = [&app, who, dest] { return app.subscription_topic(who, dest); };
  auto topic = co_await offload(ctx.workers, std::move(authorize));
  if (!topic) {
    // Not allowed: say so on the errors queue and deliver nothing for it.
    auto describe_refusal = [&app, err = topic.error(), dest] { return app.subscribe_error(err, dest); };
    auto problem = co_await offload(ctx.workers, std::move(describe_refusal));
    app_error(problem);
    receipt(frame);
    co_return;
  }
  std::string head = "MESSAGE\nsubscription:" + escape_header(id_text, version) + "\n";
  ctx.hub.subscribe(*topic, key(id_text), Subscription{outbox, text(std::move(head))});
  subscriptions.emplace(id_text, *topic);
  receipt(frame);
}

void Session::on_unsubscribe(const Frame& frame) {
  const auto sub_id = frame.header("id");
  if (!sub_id) {
    fatal("malformed UNSUBSCRIBE", "UNSUBSCRIBE needs an id header");
    return;
  }
  if (auto it = subscriptions.find(*sub_id); it != subscriptions.end()) {
    if (!it->second.empty()) ctx.hub.unsubscribe(it->second, key(it->first));
    if (errors_subscription == it->first) errors_subscription.reset();
    subscriptions.erase(it);
  }
  receipt(frame);
}

// The only writer: takes everything queued and writes it as one batch, or a
// heart-beat when nothing was written for send_heartbeat.
asio::awaitable<void> Session::write_loop() {
  auto self = shared_from_this();
  for (;;) {
    std::vector<OutFrame> frames = outbox->take_all();
    if (outbox->overflowed()) {
      spdlog::info("stomp {}: slow consumer over {} queued bytes, closing", id, ctx.limits.max_queued_bytes);
      ctx.metrics.counter("chattwo_stomp_slow_consumers_total", "Connections closed for not reading.").inc();
      break;
    }
    if (!frames.empty()) {
      if (!co_await transport.write(frames)) break;
      continue;
    }
    if (outbox->close_requested() && !closing) {
      fatal("session revoked", "the sign-in behind this connection was revoked (logout)");
      continue;  // writes the ERROR, then ends
    }
    if (closing) break;
    wake.expires_after(send_heartbeat.count() > 0 ? send_heartbeat : std::chrono::hours(24 * 365));
    auto [ec] = co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ec && send_heartbeat.count() > 0 && outbox->queued_bytes() == 0 && !closing) {
      if (!co_await transport.write_heartbeat()) break;
    }
  }
  outbox->close();
  co_await transport.close(false);
  // Only now: serve_stomp's caller may destroy the transport once this is set.
  writer_done = true;
  writer_finished.cancel();
}

void Session::leave_hub() {
  for (const auto& [sub_id, topic] : subscriptions) {
    if (!topic.empty()) ctx.hub.unsubscribe(topic, key(sub_id));
  }
  subscriptions.clear();
  if (!revoke_topic.empty()) ctx.hub.unsubscribe(revoke_topic, key("#revoke"));
}

}  // namespace

asio::awaitable<void> serve_stomp(Transport& transport, SessionContext& ctx, std::string cookie_secret) {
  auto ex = co_await asio::this_coro::executor;
  auto s = std::make_shared<Session>(transport, ctx, ex);
  s->cookie_secret = std::move(cookie_secret);
  std::weak_ptr<Session> weak = s;
  // Pushes come from any thread (fan-out); waking the writer hops to its strand.
  s->outbox = std::make_shared<Outbox>(ctx.limits.max_queued_bytes, [weak, ex] {
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) s->wake.cancel();
    });
  });
  ctx.metrics.gauge("chattwo_stomp_connections", "Open STOMP connections.").add(1);
  asio::co_spawn(ex, s->write_loop(), asio::detached);

  asio::co_spawn(ex, s->process_loop(), asio::detached);

  // The reader: frames go to the processor's queue (bounded: past it, reading
  // waits, and TCP pushes back on the client).
  constexpr std::size_t kMaxInboundFrames = 256;
  Parser parser(ctx.limits.parser);
  for (;;) {
    if (s->closing || s->writer_done || s->processor_done) break;
    // Before CONNECT, a deadline; after, the client's heart-beats (with a
    // grace of twice the interval plus 2 s for busy phones and networks) or nothing.
    const auto timeout = !s->connected ? ctx.limits.connect_timeout
                         : s->expect_heartbeat.count() > 0 ? s->expect_heartbeat * 2 + std::chrono::seconds(2)
                                                           : std::chrono::milliseconds(0);
    auto text_in = co_await transport.read(timeout);
    if (!text_in) break;
    parser.feed(*text_in);
    for (;;) {
      auto item = parser.next();
      if (std::holds_alternative<NeedMore>(item)) break;
      if (auto* error = std::get_if<ParseError>(&item)) {
        s->fatal("malformed frame", describe(*error));
        break;
      }
      if (auto* frame = std::get_if<Frame>(&item)) {
        const bool is_connect = frame->command == Command::connect || frame->command == Command::stomp;
        s->inbound.push_back(std::move(*frame));
        s->inbound_ready.cancel();
        // Header escaping depends on the version CONNECT settles: parse no
        // further until it is handled.
        while (is_connect && !s->connected && !s->closing && !s->processor_done) {
          s->connect_handled.expires_at(asio::steady_timer::time_point::max());
          co_await s->connect_handled.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        parser.set_version(s->parser_version);
        while (s->inbound.size() >= kMaxInboundFrames && !s->closing && !s->processor_done) {
          s->inbound_space.expires_at(asio::steady_timer::time_point::max());
          co_await s->inbound_space.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        if (s->closing) break;
      }
    }
  }
  s->reader_done = true;
  s->inbound_ready.cancel();
  if (!s->processor_done) co_await s->processor_finished.async_wait(asio::as_tuple(asio::use_awaitable));
  s->leave_hub();
  s->closing = true;
  s->wake.cancel();
  ctx.metrics.gauge("chattwo_stomp_connections", "Open STOMP connections.").add(-1);
  // The writer flushes what is queued (an ERROR, a RECEIPT) and closes.
  if (!s->writer_done) co_await s->writer_finished.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace chattwo::stomp::broker
