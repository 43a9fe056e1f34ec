#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the text exposition format (version 0.0.4). Debian has no
// prometheus-cpp, and this is all of it that ChatTwo needs.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace chattwo::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }
  /// For a total kept elsewhere (copied in by a Registry::sample hook):
  /// moves up to `total`, never down.
  void advance_to(std::uint64_t total) {
    std::uint64_t v = value_.load(std::memory_order_relaxed);
    while (v < total && !value_.compare_exchange_weak(v, total, std::memory_order_relaxed)) {
    }
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(std::int64_t n) { value_.store(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

/// Observations counted into fixed upper bounds (seconds, bytes, ...).
/// Lock-free: one relaxed atomic add per bucket and one for the sum.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf
    double sum;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1 (+Inf)
  std::atomic<double> sum_{0};
};

/// Latency buckets in seconds, from 0.5 ms to 10 s.
std::vector<double> latency_buckets();

/// Owns every metric. Lookups take a shared lock, creation an exclusive one;
/// callers on hot paths keep the returned reference, which stays valid for
/// the registry's lifetime.
class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels,
                       const std::vector<double>& bounds);

  /// Runs `hook` at the start of every render(): for figures another
  /// component keeps (e.g. the database's commit counts), copied into
  /// metrics only when someone looks.
  void sample(std::function<void()> hook);

  /// The text exposition format, families sorted by name.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(const std::string& name, Type type, const std::string& help);

  mutable std::shared_mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void()>> samplers_;  // set up before serving, then only read
};

}  // namespace chattwo::ops
