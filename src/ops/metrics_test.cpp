#include "ops/metrics.hpp"

#include <gtest/gtest.h>

using namespace chattwo::ops;

TEST(Metrics, RendersCountersWithEscapedLabels) {
  Registry r;
  r.counter("x_total", "Things.", {{"route", "/a\"b"}}).inc(3);
  r.counter("x_total", "Things.", {{"route", "/a\"b"}}).inc();  // same series
  const std::string text = r.render();
  EXPECT_NE(text.find("# TYPE x_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{route=\"/a\\\"b\"} 4\n"), std::string::npos) << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry r;
  auto& h = r.histogram("lat_seconds", "Latency.", {{"route", "/"}}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // the bound is inclusive (le)
  h.observe(0.5);
  h.observe(7);
  const std::string text = r.render();
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/\",le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/\",le=\"1\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{route=\"/\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_sum{route=\"/\"} 7.65\n"), std::string::npos);
}

TEST(Metrics, GaugesGoUpAndDown) {
  Registry r;
  auto& g = r.gauge("open", "Open things.");
  g.add(5);
  g.add(-2);
  EXPECT_NE(r.render().find("open 3\n"), std::string::npos);
}

TEST(Metrics, OneNameOneType) {
  Registry r;
  r.counter("m", "M.");
  EXPECT_THROW(r.gauge("m", "M."), std::logic_error);
}
