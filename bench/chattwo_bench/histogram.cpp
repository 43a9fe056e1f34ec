#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace chattwo::bench {

std::size_t LatencyHistogram::bucket_of(std::uint64_t ns) {
  if (ns > kClampNs) ns = kClampNs;
  if (ns < kSubBuckets) return static_cast<std::size_t>(ns);
  // The power of two at or below ns (>= kSubBucketBits here), then the top
  // kSubBucketBits bits after the leading one pick the linear sub-bucket.
  const int exponent = std::bit_width(ns) - 1;
  const int shift = exponent - kSubBucketBits;
  const std::uint64_t sub = (ns >> shift) - kSubBuckets;
  return static_cast<std::size_t>(kSubBuckets + static_cast<std::uint64_t>(shift) * kSubBuckets + sub);
}

std::uint64_t LatencyHistogram::bucket_low(std::size_t i) {
  if (i < kSubBuckets) return i;
  const std::uint64_t shift = (i - kSubBuckets) / kSubBuckets;
  const std::uint64_t sub = (i - kSubBuckets) % kSubBuckets;
  return (kSubBuckets + sub) << shift;
}

std::uint64_t LatencyHistogram::bucket_high(std::size_t i) {
  if (i < kSubBuckets) return i + 1;
  const std::uint64_t shift = (i - kSubBuckets) / kSubBuckets;
  return bucket_low(i) + (std::uint64_t{1} << shift);
}

void LatencyHistogram::record_n(std::uint64_t ns, std::uint64_t n) {
  if (n == 0) return;
  counts_[bucket_of(ns)] += n;
  count_ += n;
  max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::subtract(const LatencyHistogram& earlier) {
  for (std::size_t i = 0; i < kBuckets; ++i) {
    counts_[i] -= std::min(counts_[i], earlier.counts_[i]);
  }
  count_ -= std::min(count_, earlier.count_);
  // The largest value of the difference is not known exactly: bound it by
  // the top of its highest non-empty bucket (within the bucket precision).
  std::uint64_t top = 0;
  for (std::size_t i = kBuckets; i-- > 0;) {
    if (counts_[i] != 0) {
      top = bucket_high(i) - 1;
      break;
    }
  }
  max_ = std::min(max_, top);
}

void LatencyHistogram::clear() {
  counts_.fill(0);
  count_ = 0;
  max_ = 0;
}

std::uint64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::uint64_t low = bucket_low(i);
      const std::uint64_t mid = low + (bucket_high(i) - low - 1) / 2;
      return std::min(mid, max_);
    }
  }
  return max_;
}

void ConcurrentHistogram::record(std::uint64_t ns) {
  // Single writer: a relaxed load and store instead of fetch_add keeps the
  // hot path free of locked instructions; readers see whole values.
  auto& c = counts_[LatencyHistogram::bucket_of(ns)];
  c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  if (ns > max_.load(std::memory_order_relaxed)) max_.store(ns, std::memory_order_relaxed);
}

void ConcurrentHistogram::add_to(LatencyHistogram& out) const {
  LatencyHistogram mine;
  for (std::size_t i = 0; i < LatencyHistogram::kBuckets; ++i) {
    mine.record_n(LatencyHistogram::bucket_low(i), counts_[i].load(std::memory_order_relaxed));
  }
  mine.set_max(std::max(mine.max(), max_.load(std::memory_order_relaxed)));
  out.merge(mine);
}

}  // namespace chattwo::bench
