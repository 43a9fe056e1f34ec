#include "ops/metrics.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

namespace chattwo::ops {
namespace {

// Label values may hold anything; the format escapes \, " and newlines.
std::string escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string render_labels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    out += out.empty() ? "" : ",";
    out += k + "=\"" + escape_label(v) + "\"";
  }
  return out;
}

std::string with_extra(const std::string& rendered, const std::string& extra) {
  if (rendered.empty()) return extra;
  return rendered + "," + extra;
}

std::string braces(const std::string& rendered) {
  return rendered.empty() ? std::string() : "{" + rendered + "}";
}

template <class Map, class Make>
auto& get_or_create(std::shared_mutex& mutex, Map& map, const std::string& key, Make make) {
  {
    std::shared_lock lock(mutex);
    if (auto it = map.find(key); it != map.end()) return *it->second;
  }
  std::unique_lock lock(mutex);
  auto& slot = map[key];
  if (!slot) slot = make();
  return *slot;
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::observe(double value) {
  const auto index = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s{std::vector<std::uint64_t>(bounds_.size() + 1), sum_.load(std::memory_order_relaxed)};
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  return s;
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Family& Registry::family(const std::string& name, Type type, const std::string& help) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = families_.find(name); it != families_.end()) {
      if (it->second.type != type) throw std::logic_error("metric " + name + " registered twice with different types");
      return it->second;
    }
  }
  std::unique_lock lock(mutex_);
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  Family& f = family(name, Type::counter, help);
  return get_or_create(mutex_, f.counters, render_labels(labels), [] { return std::make_unique<Counter>(); });
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  Family& f = family(name, Type::gauge, help);
  return get_or_create(mutex_, f.gauges, render_labels(labels), [] { return std::make_unique<Gauge>(); });
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, const std::vector<double>& bounds) {
  Family& f = family(name, Type::histogram, help);
  return get_or_create(mutex_, f.histograms, render_labels(labels),
                       [&] { return std::make_unique<Histogram>(bounds); });
}

void Registry::sample(std::function<void()> hook) {
  std::unique_lock lock(mutex_);
  samplers_.push_back(std::move(hook));
}

std::string Registry::render() const {
  std::vector<std::function<void()>> samplers;
  {
    std::shared_lock lock(mutex_);
    samplers = samplers_;
  }
  for (const auto& hook : samplers) hook();  // outside the lock: hooks update metrics
  std::shared_lock lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name,
                       kTypes[static_cast<int>(f.type)]);
    for (const auto& [labels, c] : f.counters) out += fmt::format("{}{} {}\n", name, braces(labels), c->value());
    for (const auto& [labels, g] : f.gauges) out += fmt::format("{}{} {}\n", name, braces(labels), g->value());
    for (const auto& [labels, h] : f.histograms) {
      const auto snap = h->snapshot();
      for (std::size_t i = 0; i < h->bounds().size(); ++i) {
        out += fmt::format("{}_bucket{{{}}} {}\n", name,
                           with_extra(labels, fmt::format("le=\"{}\"", h->bounds()[i])), snap.cumulative[i]);
      }
      out += fmt::format("{}_bucket{{{}}} {}\n", name, with_extra(labels, "le=\"+Inf\""), snap.cumulative.back());
      out += fmt::format("{}_sum{} {}\n", name, braces(labels), snap.sum);
      out += fmt::format("{}_count{} {}\n", name, braces(labels), snap.cumulative.back());
    }
  }
  return out;
}

}  // namespace chattwo::ops
