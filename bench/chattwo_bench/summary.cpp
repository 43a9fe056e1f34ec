#include "summary.hpp"

#include <cmath>
#include <cstdio>

namespace chattwo::bench {
namespace {

class Writer {
 public:
  void key(const char* k) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void field(const char* k, std::uint64_t v) { key(k), out_ += std::to_string(v); }
  // Fixed decimals: JSON numbers without exponents.
  void field(const char* k, double v, int decimals) {
    key(k);
    if (!std::isfinite(v)) v = 0;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    out_ += buf;
  }
  void field(const char* k, const std::string& v) { key(k), out_ += '"' + v + '"'; }
  void field(const char* k, bool v) { key(k), out_ += v ? "true" : "false"; }
  void field(const char* k, const std::optional<std::uint64_t>& v) {
    if (v) {
      field(k, *v);
    } else {
      key(k), out_ += "null";
    }
  }
  void open(const char* k) {
    key(k);
    out_ += '{';
    first_ = true;
  }
  void close() {
    out_ += '}';
    first_ = false;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_ = "{";
  bool first_ = true;
};

}  // namespace

std::string to_json_line(const Summary& s) {
  Writer w;
  w.field("connections", s.connections);
  w.field("rooms", s.rooms);
  w.field("publishers", s.publishers);
  w.field("duration_s", s.duration_s, 3);
  w.field("sent", s.sent);
  w.field("acked", s.acked);
  w.field("delivered", s.delivered);
  w.field("deliveries_per_s", s.deliveries_per_s, 0);
  w.open("latency_ms");
  w.field("p50", s.p50_ms, 3);
  w.field("p99", s.p99_ms, 3);
  w.field("p999", s.p999_ms, 3);
  w.field("max", s.max_ms, 3);
  w.close();
  w.field("setup_s", s.setup_s, 3);
  w.field("errors", s.errors);
  w.field("mode", s.mode);
  w.field("rate", s.rate, 1);
  w.field("window", s.window);
  w.field("threads", s.threads);
  w.field("users", s.users);
  w.field("run_id", s.run_id);
  w.field("accounts_s", s.accounts_s, 3);
  w.field("connected", s.connected);
  w.open("error_kinds");
  w.field("account_failed", s.account_failed);
  w.field("connect_failed", s.connect_failed);
  w.field("rejected", s.rejected);
  w.field("stomp_error", s.stomp_error);
  w.field("dropped", s.dropped);
  w.close();
  w.field("all_closed", s.all_closed);
  if (s.has_server_rss) {
    w.open("server_rss_kib");
    w.field("before", s.server_rss_before_kib);
    w.field("after_setup", s.server_rss_after_setup_kib);
    w.field("end", s.server_rss_end_kib);
    w.field("max", s.server_rss_max_kib);
    w.close();
  }
  w.field("bench_rss_kib", s.bench_rss_kib);
  std::string out = w.take();
  out += '}';
  return out;
}

}  // namespace chattwo::bench
