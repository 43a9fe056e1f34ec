#pragma once
// Latency histograms for the load generator, HdrHistogram-style: buckets
// are linear within each power of two (log-linear), so every recorded value
// is known to within 1/128 (< 0.8 %) of itself from 128 ns up to the clamp
// of 2^36 ns (about 68.7 s), and exactly below 128 ns. Fixed size
// (kBuckets counters), no allocation per record. Std only.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace chattwo::bench {

/// Counts of nanosecond values in log-linear buckets; answers quantiles.
/// A plain value: not thread-safe (see ConcurrentHistogram for that).
class LatencyHistogram {
 public:
  // 2^7 = 128 linear sub-buckets per power of two: relative bucket width 1/128.
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
  // Values at or above 2^36 ns (68.7 s, beyond any sane run) land in the
  // last bucket; max() still reports the true largest value.
  static constexpr int kMaxBits = 36;
  static constexpr std::uint64_t kClampNs = (std::uint64_t{1} << kMaxBits) - 1;
  // 128 exact buckets for 0..127, then 128 per power of two from 2^7 to 2^35.
  static constexpr std::size_t kBuckets = kSubBuckets + (kMaxBits - kSubBucketBits) * kSubBuckets;

  /// The bucket holding `ns` (values over kClampNs go to the last one).
  static std::size_t bucket_of(std::uint64_t ns);
  /// The smallest and one-past-largest value of bucket `i`.
  static std::uint64_t bucket_low(std::size_t i);
  static std::uint64_t bucket_high(std::size_t i);

  void record(std::uint64_t ns) { record_n(ns, 1); }
  void record_n(std::uint64_t ns, std::uint64_t n);
  /// Adds every count of `other` (for merging per-thread histograms).
  void merge(const LatencyHistogram& other);
  /// Removes the counts of `earlier`, a snapshot of this same histogram
  /// taken before: what was recorded in between. max() becomes the top of
  /// the highest bucket left (capped at the old max), so within precision.
  void subtract(const LatencyHistogram& earlier);
  void clear();

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  std::uint64_t bucket_count(std::size_t i) const { return counts_[i]; }

  /// The value at quantile q in [0, 1] (0.99 = p99): the middle of the
  /// bucket holding the ceil(q * count)-th smallest value, capped at max().
  /// 0 when empty.
  std::uint64_t quantile(double q) const;

  /// Sets the largest value (used when rebuilding from a snapshot).
  void set_max(std::uint64_t ns) { max_ = ns; }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

/// The same buckets as relaxed atomics with a single writer (the thread
/// that owns it records with plain load + store, no locked instruction) and
/// any number of readers that take snapshots while it runs, as the
/// progress line does. A snapshot may be a few records behind, never torn
/// per counter.
class ConcurrentHistogram {
 public:
  /// Only from the owning thread.
  void record(std::uint64_t ns);
  /// From any thread: adds the current counts into `out`.
  void add_to(LatencyHistogram& out) const;

 private:
  std::array<std::atomic<std::uint64_t>, LatencyHistogram::kBuckets> counts_{};
  std::atomic<std::uint64_t> max_{0};
};

}  // namespace chattwo::bench
