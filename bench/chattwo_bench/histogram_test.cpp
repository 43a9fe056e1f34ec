#include "histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace chattwo::bench {
namespace {

// Within the histogram's promised precision (1/128 of the value) plus one
// for rounding in the exact range.
void expect_close(std::uint64_t got, std::uint64_t want) {
  const double tolerance = static_cast<double>(want) / 128.0 + 1.0;
  EXPECT_LE(std::abs(static_cast<double>(got) - static_cast<double>(want)), tolerance)
      << "got " << got << ", want " << want;
}

TEST(LatencyHistogram, EmptyAnswersZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0u);
  EXPECT_EQ(h.quantile(0.99), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LatencyHistogram, BucketsTileTheRange) {
  // Every bucket starts where the previous ends, and a value maps to the
  // bucket whose range holds it.
  for (std::size_t i = 1; i < LatencyHistogram::kBuckets; ++i) {
    ASSERT_EQ(LatencyHistogram::bucket_low(i), LatencyHistogram::bucket_high(i - 1)) << i;
  }
  for (std::uint64_t v : {0ull, 1ull, 127ull, 128ull, 129ull, 255ull, 256ull, 1000ull, 999'999ull, 1'000'000ull,
                          123'456'789ull, 60'000'000'000ull}) {
    const auto b = LatencyHistogram::bucket_of(v);
    EXPECT_LE(LatencyHistogram::bucket_low(b), v);
    EXPECT_LT(v, LatencyHistogram::bucket_high(b));
    // Width at most 1/128 of the value: the promised precision.
    const auto width = LatencyHistogram::bucket_high(b) - LatencyHistogram::bucket_low(b);
    EXPECT_LE(static_cast<double>(width), std::max(1.0, static_cast<double>(v) / 128.0));
  }
  EXPECT_EQ(LatencyHistogram::bucket_of(~std::uint64_t{0}), LatencyHistogram::kBuckets - 1);
}

TEST(LatencyHistogram, UniformMicrosecondsToOneHundredMilliseconds) {
  // 1 µs, 2 µs, ..., 100,000 µs: the true p50 is 50 ms, p99 99 ms, p99.9 99.9 ms.
  auto h = std::make_unique<LatencyHistogram>();
  for (std::uint64_t us = 1; us <= 100'000; ++us) h->record(us * 1000);
  EXPECT_EQ(h->count(), 100'000u);
  expect_close(h->quantile(0.5), 50'000'000);
  expect_close(h->quantile(0.99), 99'000'000);
  expect_close(h->quantile(0.999), 99'900'000);
  expect_close(h->quantile(0.0), 1'000);
  EXPECT_EQ(h->max(), 100'000'000u);
  EXPECT_LE(h->quantile(1.0), h->max());
  expect_close(h->quantile(1.0), 100'000'000);
}

TEST(LatencyHistogram, TailIsNotHiddenByTheBody) {
  // 990 fast deliveries and 10 slow: p99 is still fast, p99.9 is slow.
  LatencyHistogram h;
  h.record_n(2'000'000, 990);   // 2 ms
  h.record_n(250'000'000, 10);  // 250 ms
  expect_close(h.quantile(0.5), 2'000'000);
  expect_close(h.quantile(0.99), 2'000'000);
  expect_close(h.quantile(0.991), 250'000'000);
  expect_close(h.quantile(0.999), 250'000'000);
  EXPECT_EQ(h.max(), 250'000'000u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (std::uint64_t v = 0; v < 100; ++v) h.record(v);
  EXPECT_EQ(h.quantile(0.5), 49u);
  EXPECT_EQ(h.quantile(1.0), 99u);
}

TEST(LatencyHistogram, ValuesBeyondTheRangeAreClampedButMaxIsTrue) {
  LatencyHistogram h;
  h.record(200'000'000'000ull);  // 200 s
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), 200'000'000'000ull);
  expect_close(h.quantile(0.5), LatencyHistogram::kClampNs);
}

TEST(LatencyHistogram, MergeAndSubtract) {
  LatencyHistogram a, b;
  for (int i = 0; i < 100; ++i) a.record(1'000'000);  // 1 ms
  for (int i = 0; i < 100; ++i) b.record(3'000'000);  // 3 ms
  LatencyHistogram both = a;
  both.merge(b);
  EXPECT_EQ(both.count(), 200u);
  expect_close(both.quantile(0.25), 1'000'000);
  expect_close(both.quantile(0.75), 3'000'000);
  EXPECT_EQ(both.max(), 3'000'000u);

  // What was recorded after the snapshot `a`: only the 3 ms values.
  LatencyHistogram later = both;
  later.subtract(a);
  EXPECT_EQ(later.count(), 100u);
  expect_close(later.quantile(0.01), 3'000'000);

  // The max of an interval comes from its own buckets, not from before it.
  LatencyHistogram first;
  first.record(500'000'000);
  LatencyHistogram cumulative = first;
  cumulative.record(1'000'000);
  cumulative.subtract(first);
  EXPECT_EQ(cumulative.count(), 1u);
  expect_close(cumulative.max(), 1'000'000);
  expect_close(cumulative.quantile(0.999), 1'000'000);
}

TEST(ConcurrentHistogram, SnapshotMatchesRecords) {
  auto c = std::make_unique<ConcurrentHistogram>();
  for (std::uint64_t us = 1; us <= 1000; ++us) c->record(us * 1000);
  LatencyHistogram h;
  c->add_to(h);
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(h.max(), 1'000'000u);
  expect_close(h.quantile(0.5), 500'000);
  expect_close(h.quantile(0.99), 990'000);
  // Adding twice merges.
  c->add_to(h);
  EXPECT_EQ(h.count(), 2000u);
}

}  // namespace
}  // namespace chattwo::bench
