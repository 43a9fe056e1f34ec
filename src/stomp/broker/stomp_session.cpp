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
#include <map>
#include <vector>

#include "stomp/broker/offload.hpp"

namespace chattwo::stomp::broker {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kServerName = "chattwo/0.1";
// How long a writer with nothing to write waits for more before it ends.
constexpr auto kWriterLinger = std::chrono::milliseconds(200);

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

// One connection. Three jobs share it, all on the connection's strand:
// the reader (serve_stomp's loop, for the life of the connection), the
// processor (handles what the reader queued) and the writer (flushes the
// outbox). The processor and the writer are coroutines started when there
// is work and ended when there is none, so an idle connection is only its
// pending read, this object and a heart-beat timer: at 10,000 idle
// connections every kilobyte here is 10 MB (the target is 10 KiB each).
struct Session : std::enable_shared_from_this<Session> {
  Session(Transport& t, SessionContext& c, asio::any_io_executor ex)
      : transport(t), ctx(c), executor(ex), reader_wake(ex), heartbeat_timer(ex), writer_wake(ex),
        id(std::to_string(c.next_connection_id.fetch_add(1))) {}

  Transport& transport;
  SessionContext& ctx;
  asio::any_io_executor executor;
  // The reader parks on it when it must wait for the processor or the
  // writer; they cancel() it whenever what it waits for may have changed.
  asio::steady_timer reader_wake;
  asio::steady_timer heartbeat_timer;  // callback-driven: no coroutine while idle
  asio::steady_timer writer_wake;      // a lingering writer sleeps on it; cancel() wakes it
  std::string cookie_secret;           // freed once CONNECT is handled
  Version parser_version = Version::v1_2;

  // Reading and processing are apart so that while a batch of SENDs is being
  // stored the next frames are already read: a pipelining client's SENDs
  // then reach storage many at a time (one commit), in order.
  std::vector<Frame> inbound;
  bool processor_running = false;
  bool writer_running = false;
  bool heartbeat_wanted = false;
  bool writer_done = false;  // the transport is closed; nothing more is written
  std::shared_ptr<Outbox> outbox;
  std::vector<OutFrame> batch;  // the writer's; swapped with the outbox's queue, so both keep capacity
  const std::string id;

  Version version = Version::v1_2;
  bool connected = false;
  api::StompUser user;
  std::chrono::milliseconds send_heartbeat{0};     // we write at least this often (0: never)
  std::chrono::milliseconds expect_heartbeat{0};   // the client must, within a grace
  std::chrono::steady_clock::time_point last_write = std::chrono::steady_clock::now();
  bool closing = false;      // flush what is queued, then close
  bool revoke_subscribed = false;  // listening on "sessions.<session id>"
  std::map<std::string, std::string, std::less<>> subscriptions;  // id -> bus topic ("" for local queues)
  std::optional<std::string> errors_subscription;  // the id subscribed to /user/queue/errors

  void wake_reader() { reader_wake.cancel(); }
  asio::awaitable<void> reader_wait() {
    reader_wake.expires_at(asio::steady_timer::time_point::max());
    co_await reader_wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  void start_processor() {
    if (processor_running || inbound.empty()) return;
    processor_running = true;
    asio::co_spawn(executor, process_loop(), asio::detached);
  }

  // Starts the writer, or wakes it if it lingers.
  void start_writer() {
    if (writer_done) return;
    if (writer_running) {
      writer_wake.cancel();
      return;
    }
    writer_running = true;
    asio::co_spawn(executor, write_loop(), asio::detached);
  }

  // Heart-beats out: the timer fires at most once per interval; if nothing
  // was written for an interval by then, the writer sends an EOL.
  void arm_heartbeat() {
    if (send_heartbeat.count() == 0 || writer_done) return;
    const auto now = std::chrono::steady_clock::now();
    auto due = last_write + send_heartbeat;
    if (due <= now) {
      heartbeat_wanted = true;
      start_writer();
      due = now + send_heartbeat;
    }
    heartbeat_timer.expires_at(due);
    heartbeat_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      if (auto s = weak.lock()) s->arm_heartbeat();
    });
  }

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
    start_writer();
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
      start_writer();
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
    start_writer();
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
  std::string().swap(cookie_secret);
  // A logout elsewhere must end this connection: listen for its revocation.
  ctx.hub.subscribe("sessions." + user.session_id, key("#revoke"), Subscription{outbox, nullptr, {}});
  revoke_subscribed = true;

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
  arm_heartbeat();
}

// Handles what the reader queued, until nothing is; then ends (the reader
// starts it again with the next frame).
asio::awaitable<void> Session::process_loop() {
  auto self = shared_from_this();
  try {
    while (!inbound.empty() && !closing) {
      std::vector<Frame> frames;
      frames.swap(inbound);
      wake_reader();  // room in the queue again
      co_await handle_all(frames);
    }
  } catch (const PoolOverloaded&) {
    fatal("server busy", "the server is overloaded; reconnect in a moment");
  } catch (const std::exception& e) {
    spdlog::error("stomp {}: {}", id, e.what());
    ctx.metrics.counter("chattwo_internal_errors_total", "Requests and connections that failed with an unexpected exception.").inc();
    fatal("internal error");
  }
  if (closing) inbound.clear();
  processor_running = false;
  wake_reader();
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
      wake_reader();  // it may wait for CONNECT to be handled
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
    ctx.counters.send_batches.inc();
    ctx.counters.sends.inc(items.size());
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
  ctx.hub.subscribe(*topic, key(id_text), Subscription{outbox, text(std::move(head)), user.user_id});
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

// The only writer: writes everything queued as one batch, again while more
// comes, then ends. Closes the transport once `closing` and flushed, or at
// once on failure or overflow.
asio::awaitable<void> Session::write_loop() {
  auto self = shared_from_this();
  for (;;) {
    outbox->take_all(batch);
    if (outbox->overflowed()) {
      spdlog::info("stomp {}: slow consumer over {} queued bytes, closing", id, ctx.limits.max_queued_bytes);
      ctx.metrics.counter("chattwo_stomp_slow_consumers_total", "Connections closed for not reading.").inc();
      break;
    }
    if (!batch.empty()) {
      ctx.counters.writes.inc();
      ctx.counters.frames_written.inc(batch.size());
      const bool written = co_await transport.write(batch);
      batch.clear();  // drops the frames, keeps the capacity
      if (!written) break;
      last_write = std::chrono::steady_clock::now();
      continue;
    }
    if (outbox->close_requested() && !closing) {
      fatal("session revoked", "the sign-in behind this connection was revoked (logout)");
      continue;  // writes the ERROR, then ends
    }
    if (closing) break;
    if (heartbeat_wanted) {
      heartbeat_wanted = false;
      if (!co_await transport.write_heartbeat()) {
        break;
      }
      last_write = std::chrono::steady_clock::now();
      continue;
    }
    // Nothing to write. A busy connection's writer waits a moment for more
    // (restarting a coroutine per batch costs throughput); an idle one's
    // ends, and the next push or heart-beat starts a new one.
    writer_wake.expires_after(kWriterLinger);
    auto [ec] = co_await writer_wake.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) continue;  // woken: more to write, or closing
    if (outbox->queued_bytes() > 0 || heartbeat_wanted || closing || outbox->close_requested()) continue;
    std::vector<OutFrame>().swap(batch);  // idle: keep no buffers
    outbox->release_idle_capacity();
    writer_running = false;
    co_return;
  }
  closing = true;
  outbox->close();
  heartbeat_timer.cancel();
  writer_wake.cancel();
  co_await transport.close(false);
  // Only now: serve_stomp's caller may destroy the transport once this is set.
  writer_done = true;
  writer_running = false;
  wake_reader();
}

void Session::leave_hub() {
  for (const auto& [sub_id, topic] : subscriptions) {
    if (!topic.empty()) ctx.hub.unsubscribe(topic, key(sub_id));
  }
  subscriptions.clear();
  if (revoke_subscribed) ctx.hub.unsubscribe("sessions." + user.session_id, key("#revoke"));
  revoke_subscribed = false;
}

}  // namespace

asio::awaitable<void> serve_stomp(Transport& transport, SessionContext& ctx, std::string cookie_secret) {
  auto ex = co_await asio::this_coro::executor;
  auto s = std::make_shared<Session>(transport, ctx, ex);
  s->cookie_secret = std::move(cookie_secret);
  std::weak_ptr<Session> weak = s;
  // Pushes come from any thread (fan-out); starting the writer hops to its strand.
  s->outbox = std::make_shared<Outbox>(ctx.limits.max_queued_bytes, [weak, ex] {
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) s->start_writer();
    });
  });
  ctx.metrics.gauge("chattwo_stomp_connections", "Open STOMP connections.").add(1);

  // The reader: frames go to the processor's queue (bounded: past it, reading
  // waits, and TCP pushes back on the client).
  constexpr std::size_t kMaxInboundFrames = 256;
  Parser parser(ctx.limits.parser);
  for (;;) {
    if (s->closing || s->writer_done) break;
    // Before CONNECT, a deadline; after, the client's heart-beats (with a
    // grace of twice the interval plus 2 s for busy phones and networks) or nothing.
    const auto timeout = !s->connected ? ctx.limits.connect_timeout
                         : s->expect_heartbeat.count() > 0 ? s->expect_heartbeat * 2 + std::chrono::seconds(2)
                                                           : std::chrono::milliseconds(0);
    parser.release_idle_buffer();
    auto text_in = co_await transport.read(timeout);
    if (!text_in) break;
    parser.feed(*text_in);
    text_in.reset();
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
        s->start_processor();
        // Header escaping depends on the version CONNECT settles: parse no
        // further until it is handled.
        while (is_connect && !s->connected && !s->closing && s->processor_running) co_await s->reader_wait();
        parser.set_version(s->parser_version);
        while (s->inbound.size() >= kMaxInboundFrames && !s->closing && s->processor_running) {
          co_await s->reader_wait();
        }
        if (s->closing) break;
      }
    }
  }
  // Frames already read are still handled (SENDs stored), then the
  // connection leaves the hub, flushes (an ERROR, a RECEIPT) and closes.
  while (s->processor_running) co_await s->reader_wait();
  s->leave_hub();
  s->closing = true;
  s->start_writer();
  while (!s->writer_done) co_await s->reader_wait();
  s->heartbeat_timer.cancel();
  ctx.metrics.gauge("chattwo_stomp_connections", "Open STOMP connections.").add(-1);
}

}  // namespace chattwo::stomp::broker
