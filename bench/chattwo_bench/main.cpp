// chattwo-bench: a STOMP-over-WebSocket load generator for ChatTwo.
// Creates accounts and rooms over REST, opens N subscriber connections
// across R rooms plus P publisher connections, publishes at a fixed rate or
// flat out within a window of unacknowledged SENDs, and measures deliveries
// per second and end-to-end latency (send timestamp in each body). Progress
// goes to stderr once a second; one JSON summary line goes to stdout.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/url/parse.hpp>
#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "connection.hpp"
#include "histogram.hpp"
#include "setup.hpp"
#include "stats.hpp"
#include "summary.hpp"
#include "wire.hpp"

namespace chattwo::bench {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

struct Options {
  std::string url = "http://127.0.0.1:8080";
  std::size_t connections = 100;
  std::size_t rooms = 1;
  std::size_t publishers = 1;
  double rate = 0;
  std::size_t window = 32;
  double duration_s = 10;
  double warmup_s = 2;
  bool idle = false;
  int server_pid = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string run_id;
  std::size_t users = 0;
  std::size_t text_bytes = 0;
  std::size_t setup_parallel = 32;
  std::size_t connect_concurrency = 256;
  double setup_timeout_s = 30;
  bool no_source_spread = false;
  std::size_t connections_per_source_address = 25000;
};

/// Everything counted so far, summed over the I/O threads.
struct Totals {
  std::uint64_t ready = 0, failed = 0, closed = 0, dropped = 0, sent = 0, acked = 0, rejected = 0,
                stomp_errors = 0, delivered = 0, other_events = 0;
  LatencyHistogram latency;
};

Totals collect(const std::vector<std::unique_ptr<ThreadStats>>& stats) {
  Totals t;
  for (const auto& s : stats) {
    t.ready += s->ready.get();
    t.failed += s->failed.get();
    t.closed += s->closed.get();
    t.dropped += s->dropped.get();
    t.sent += s->sent.get();
    t.acked += s->acked.get();
    t.rejected += s->rejected.get();
    t.stomp_errors += s->stomp_errors.get();
    t.delivered += s->delivered.get();
    t.other_events += s->other_events.get();
    s->latency.add_to(t.latency);
  }
  return t;
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

std::string default_run_id() {
  const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  return std::to_string(t % 100000000) + "-" + std::to_string(::getpid());
}

bool valid_run_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;  // keeps clientMsgId (run-conn-seq) under 64
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Each connection is a file descriptor: raise the soft limit to the hard one.
void raise_fd_limit(std::size_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < wanted) {
    std::cerr << "warning: open-file limit " << lim.rlim_cur << " is below the ~" << wanted
              << " descriptors this run needs (raise it with ulimit -n)\n";
  }
}

std::string rss_text(int pid) {
  if (pid == 0) return {};
  auto kib = read_rss_kib(pid);
  if (!kib) return " server_rss=?";
  char buf[64];
  std::snprintf(buf, sizeof buf, " server_rss=%.1fMiB", static_cast<double>(*kib) / 1024.0);
  return buf;
}

int run(const Options& o) {
  if (!valid_run_id(o.run_id)) {
    std::cerr << "--run-id: 1-32 characters of [A-Za-z0-9_-]\n";
    return 2;
  }
  auto parsed = boost::urls::parse_uri(o.url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty()) {
    std::cerr << "--url: expected http://HOST[:PORT], got " << o.url << '\n';
    return 2;
  }
  Target target;
  target.host = parsed->host();
  target.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  target.host_header = parsed->has_port() ? target.host + ":" + target.port : target.host;

  tcp::endpoint server;
  {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto results = resolver.resolve(target.host, target.port, ec);
    if (ec || results.empty()) {
      std::cerr << "cannot resolve " << target.host << ": " << ec.message() << '\n';
      return 2;
    }
    server = results.begin()->endpoint();
    for (const auto& r : results) {
      if (r.endpoint().address().is_v4()) {
        server = r.endpoint();
        break;
      }
    }
  }

  const std::size_t publishers = o.idle ? 0 : o.publishers;
  const std::size_t total = o.connections + publishers;
  const std::size_t user_count = o.users == 0 ? total : std::min(o.users, total);
  raise_fd_limit(total + 64);
  const char* mode = o.idle ? "idle" : (o.rate > 0 ? "rate" : "flat-out");
  std::cerr << "chattwo-bench run " << o.run_id << ": " << o.connections << " subscribers, " << publishers
            << " publishers, " << o.rooms << " rooms, " << user_count << " users, mode " << mode << ", "
            << o.threads << " threads, server " << server << '\n';
  const auto rss_before = o.server_pid ? read_rss_kib(o.server_pid) : std::nullopt;

  // --- accounts and rooms over REST ---
  const auto accounts_start = Clock::now();
  auto accounts = create_accounts(target, o.run_id, user_count, o.setup_parallel, [&](std::size_t done) {
    std::cerr << "setup: accounts " << done << "/" << user_count << '\n';
  });
  std::size_t account_failures = 0;
  for (const auto& a : accounts) account_failures += a ? 0 : 1;

  // Connection i: subscribers 0..N-1 in room i % R, then publisher p in room p % R.
  auto user_of = [&](std::size_t i) { return i % user_count; };
  auto room_of = [&](std::size_t i) { return i < o.connections ? i % o.rooms : (i - o.connections) % o.rooms; };
  std::vector<std::vector<std::string>> members(o.rooms);
  {
    std::vector<std::set<std::size_t>> seen(o.rooms);
    for (std::size_t i = 0; i < total; ++i) {
      const auto u = user_of(i);
      if (accounts[u] && seen[room_of(i)].insert(u).second) members[room_of(i)].push_back(accounts[u]->id);
    }
  }
  std::vector<std::string> room_ids(o.rooms);
  {
    HttpClient http(target, std::chrono::seconds(60));
    for (std::size_t r = 0; r < o.rooms; ++r) {
      const Account* owner = nullptr;
      for (std::size_t i = 0; i < total && owner == nullptr; ++i) {
        if (room_of(i) == r && accounts[user_of(i)]) owner = &*accounts[user_of(i)];
      }
      if (owner == nullptr) {
        std::cerr << "setup: room " << r << " has no member with an account; giving up\n";
        return 1;
      }
      std::string error;
      auto id = create_room(http, *owner, members[r], "bench-" + o.run_id + "-" + std::to_string(r), error);
      if (!id) {
        std::cerr << "setup: " << error << '\n';
        return 1;
      }
      room_ids[r] = *id;
    }
  }
  const double accounts_s = seconds(Clock::now() - accounts_start);
  std::cerr << "setup: " << user_count - account_failures << " accounts and " << o.rooms << " rooms in "
            << accounts_s << " s\n";

  // --- connections ---
  ClientContext context;
  context.server = server;
  context.host_header = target.host_header;
  context.stomp_host = target.host;
  context.spread_source_addresses =
      !o.no_source_spread && server.address().is_v4() && server.address().is_loopback();
  context.connections_per_source_address = std::max<std::size_t>(1, o.connections_per_source_address);
  context.window = std::max<std::size_t>(1, o.window);
  if (o.rate > 0 && publishers > 0) {
    context.send_interval = std::chrono::nanoseconds(
        static_cast<std::int64_t>(1e9 * static_cast<double>(publishers) / o.rate));
  }
  context.text_bytes = o.text_bytes;
  context.run_id = o.run_id;
  context.setup_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.setup_timeout_s * 1000));

  const unsigned threads = std::max(1u, o.threads);
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  std::vector<std::unique_ptr<ThreadStats>> stats;
  for (unsigned t = 0; t < threads; ++t) {
    iocs.push_back(std::make_unique<asio::io_context>(1));
    stats.push_back(std::make_unique<ThreadStats>());
  }
  std::vector<std::shared_ptr<Connection>> conns;
  std::vector<std::shared_ptr<Connection>> publisher_conns;
  for (std::size_t i = 0; i < total; ++i) {
    const auto& account = accounts[user_of(i)];
    if (!account) continue;
    ConnectionSpec spec{i, account->token, room_ids[room_of(i)], i >= o.connections};
    auto c = Connection::make(*iocs[i % threads], context, std::move(spec), *stats[i % threads]);
    if (i >= o.connections) publisher_conns.push_back(c);
    conns.push_back(std::move(c));
  }

  // A bounded number connect at once: each finished setup starts the next,
  // so the server's accept backlog is never flooded.
  std::atomic<std::size_t> next{0};
  auto launch_next = [&] {
    const auto i = next++;
    if (i < conns.size()) conns[i]->start();
  };
  context.on_setup_done = launch_next;

  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> io_threads;
  for (auto& ioc : iocs) {
    guards.push_back(asio::make_work_guard(*ioc));
    io_threads.emplace_back([&ioc] { ioc->run(); });
  }

  const auto setup_start = Clock::now();
  for (std::size_t k = 0; k < std::min(o.connect_concurrency, conns.size()); ++k) launch_next();
  auto next_print = setup_start + 1s;
  Totals now_totals;
  while (true) {
    now_totals = collect(stats);
    if (now_totals.ready + now_totals.failed >= conns.size()) break;
    std::this_thread::sleep_for(20ms);
    if (Clock::now() >= next_print) {
      next_print += 1s;
      std::cerr << "setup: t=" << std::lround(seconds(Clock::now() - setup_start)) << "s conns=" << now_totals.ready
                << "/" << conns.size() << " failed=" << now_totals.failed << rss_text(o.server_pid) << '\n';
    }
  }
  const double setup_s = seconds(Clock::now() - setup_start);
  const auto rss_after_setup = o.server_pid ? read_rss_kib(o.server_pid) : std::nullopt;
  std::cerr << "setup: " << now_totals.ready << " connections ready, " << now_totals.failed + account_failures
            << " failed, in " << setup_s << " s" << rss_text(o.server_pid) << '\n';

  // --- load ---
  const auto load_start = Clock::now();
  if (!o.idle) {
    const auto first = load_start + 50ms;
    for (std::size_t p = 0; p < publisher_conns.size(); ++p) {
      // Staggered over one interval so fixed-rate sends do not come in bursts.
      const auto offset = context.send_interval * static_cast<std::int64_t>(p) /
                          static_cast<std::int64_t>(std::max<std::size_t>(1, publisher_conns.size()));
      publisher_conns[p]->begin_publishing(first + std::chrono::duration_cast<Clock::duration>(offset));
    }
  }
  const auto to_duration = [](double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, s)));
  };
  // Nothing to measure without a single connection: say so and finish now.
  const bool any_ready = now_totals.ready > 0;
  if (!any_ready) std::cerr << "no connection is ready; skipping the load phase\n";
  const auto measure_start = any_ready ? load_start + to_duration(o.warmup_s) : load_start;
  const auto measure_end = any_ready ? measure_start + to_duration(o.duration_s) : load_start;
  Totals prev = collect(stats);
  auto prev_time = load_start;
  next_print = load_start + 1s;
  std::optional<std::uint64_t> rss_max = rss_after_setup;
  auto advance_to = [&](Clock::time_point until) {
    while (Clock::now() < until) {
      std::this_thread::sleep_until(std::min(next_print, until));
      if (Clock::now() < next_print) continue;
      next_print += 1s;
      Totals cur = collect(stats);
      const auto t = Clock::now();
      LatencyHistogram interval = cur.latency;
      interval.subtract(prev.latency);
      const double dt = std::max(1e-9, seconds(t - prev_time));
      char line[256];
      std::snprintf(line, sizeof line,
                    "t=%lds conns=%llu sent=%llu acked=%llu delivered=%llu rate=%.0f/s p99=%.3fms errors=%llu%s",
                    std::lround(seconds(t - load_start)), static_cast<unsigned long long>(cur.ready - cur.closed),
                    static_cast<unsigned long long>(cur.sent), static_cast<unsigned long long>(cur.acked),
                    static_cast<unsigned long long>(cur.delivered),
                    static_cast<double>(cur.delivered - prev.delivered) / dt, ms(interval.quantile(0.99)),
                    static_cast<unsigned long long>(cur.failed + cur.rejected + cur.stomp_errors + cur.dropped),
                    t < measure_start ? " (warm-up)" : "");
      std::cerr << line << rss_text(o.server_pid) << '\n';
      if (o.server_pid) {
        if (auto kib = read_rss_kib(o.server_pid); kib && (!rss_max || *kib > *rss_max)) rss_max = kib;
      }
      prev = std::move(cur);
      prev_time = t;
    }
  };
  advance_to(measure_start);
  const Totals base = collect(stats);
  const auto base_time = Clock::now();
  advance_to(measure_end);
  const Totals end = collect(stats);
  const double measured_s = seconds(Clock::now() - base_time);
  const auto rss_end = o.server_pid ? read_rss_kib(o.server_pid) : std::nullopt;

  // --- shutdown: DISCONNECT, wait for its RECEIPT, close ---
  for (auto& c : conns) c->stop();
  const auto stop_deadline = Clock::now() + context.close_timeout + 5s;
  Totals last;
  while (Clock::now() < stop_deadline) {
    last = collect(stats);
    if (last.closed + last.failed >= last.ready + last.failed) break;
    std::this_thread::sleep_for(20ms);
  }
  last = collect(stats);
  for (auto& ioc : iocs) ioc->stop();
  for (auto& t : io_threads) t.join();
  guards.clear();
  publisher_conns.clear();
  conns.clear();
  iocs.clear();  // destroys whatever handlers are left, and with them the connections

  LatencyHistogram latency = end.latency;
  latency.subtract(base.latency);
  const std::uint64_t delivered = end.delivered - base.delivered;
  const std::uint64_t errors = account_failures + last.failed + last.rejected + last.stomp_errors + last.dropped;
  Summary summary;
  summary.connections = o.connections;
  summary.rooms = o.rooms;
  summary.publishers = publishers;
  summary.duration_s = measured_s;
  summary.sent = end.sent - base.sent;
  summary.acked = end.acked - base.acked;
  summary.delivered = delivered;
  summary.deliveries_per_s = static_cast<double>(delivered) / std::max(1e-9, measured_s);
  summary.p50_ms = ms(latency.quantile(0.5));
  summary.p99_ms = ms(latency.quantile(0.99));
  summary.p999_ms = ms(latency.quantile(0.999));
  summary.max_ms = ms(latency.max());
  summary.setup_s = setup_s;
  summary.errors = errors;
  summary.mode = mode;
  summary.rate = o.rate;
  summary.window = context.window;
  summary.threads = threads;
  summary.users = user_count;
  summary.run_id = o.run_id;
  summary.accounts_s = accounts_s;
  summary.connected = last.ready;
  summary.account_failed = account_failures;
  summary.connect_failed = last.failed;
  summary.rejected = last.rejected;
  summary.stomp_error = last.stomp_errors;
  summary.dropped = last.dropped;
  summary.all_closed = last.closed >= last.ready;
  summary.has_server_rss = o.server_pid != 0;
  summary.server_rss_before_kib = rss_before;
  summary.server_rss_after_setup_kib = rss_after_setup;
  summary.server_rss_end_kib = rss_end;
  summary.server_rss_max_kib = rss_max;
  summary.bench_rss_kib = read_rss_kib(0);
  std::cout << to_json_line(summary) << std::endl;
  // Exit 1 when nothing could be measured; partial failures are in the summary.
  return any_ready ? 0 : 1;
}

}  // namespace
}  // namespace chattwo::bench

int main(int argc, char** argv) {
  chattwo::bench::Options o;
  CLI::App app{
      "chattwo-bench: STOMP-over-WebSocket load generator for ChatTwo.\n"
      "Creates accounts and rooms over REST, opens --connections subscriber connections spread\n"
      "over --rooms rooms, plus --publishers publisher connections (extra connections, not among\n"
      "--connections; publisher p sends to room p % rooms and does not subscribe to it). Prints a\n"
      "progress line every second to stderr and one JSON summary line to stdout."};
  app.add_option("--url", o.url, "server base URL (http only)")->capture_default_str();
  app.add_option("--connections", o.connections, "subscriber connections, N")->capture_default_str();
  app.add_option("--rooms", o.rooms, "rooms, R; subscriber i joins room i % R")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--publishers", o.publishers, "publisher connections, P, in addition to the N subscribers")
      ->capture_default_str();
  app.add_option("--rate", o.rate, "messages/s published in total (spread evenly over the publishers); 0 = flat out")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--window", o.window,
                 "unacknowledged SENDs (no RECEIPT yet) per publisher; bounds flat-out and fixed-rate sending")
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "measured seconds (after warm-up)")->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "seconds of load before measuring")->capture_default_str();
  app.add_flag("--idle", o.idle, "no publishers: open and subscribe the N connections, hold them for --duration");
  app.add_option("--server-pid", o.server_pid, "server PID: its VmRSS (from /proc/PID/status) is reported");
  app.add_option("--threads", o.threads, "I/O threads (one io_context each)")->capture_default_str();
  app.add_option("--run-id", o.run_id, "unique per run: user emails are bench-RUNID-I@bench.example.com "
                                       "(default: time and pid)");
  app.add_option("--users", o.users, "distinct users (connections share them round-robin); 0 = one per connection")
      ->capture_default_str();
  app.add_option("--text-bytes", o.text_bytes, "pad each message text to at least this many bytes")
      ->capture_default_str();
  app.add_option("--setup-parallel", o.setup_parallel, "sign-ups in parallel")->capture_default_str();
  app.add_option("--connect-concurrency", o.connect_concurrency, "connections being set up at once")
      ->capture_default_str();
  app.add_option("--setup-timeout", o.setup_timeout_s, "seconds one connection may take from connect to subscribed")
      ->capture_default_str();
  app.add_flag("--no-source-spread", o.no_source_spread,
               "do not bind connection i to 127.0.0.(1 + i / connections-per-source-address) "
               "(done by default for a loopback server)");
  app.add_option("--connections-per-source-address", o.connections_per_source_address,
                 "connections bound to each loopback source address before moving to the next")
      ->capture_default_str()->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (o.run_id.empty()) o.run_id = chattwo::bench::default_run_id();
  try {
    return chattwo::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "chattwo-bench: " << e.what() << '\n';
    return 1;
  }
}
