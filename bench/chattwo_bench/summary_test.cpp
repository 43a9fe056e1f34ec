#include "summary.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace chattwo::bench {
namespace {

TEST(Summary, OneLineOfJsonWithTheRequiredKeys) {
  Summary s;
  s.connections = 1000;
  s.rooms = 10;
  s.publishers = 10;
  s.duration_s = 10.0004;
  s.sent = 20000;
  s.acked = 19990;
  s.delivered = 2'000'000;
  s.deliveries_per_s = 199'992.4;
  s.p50_ms = 1.5;
  s.p99_ms = 12.25;
  s.p999_ms = 40;
  s.max_ms = 81.123456;
  s.setup_s = 2.5;
  s.errors = 3;
  s.mode = "flat-out";
  s.run_id = "r1";
  s.has_server_rss = true;
  s.server_rss_end_kib = 123456;
  const std::string line = to_json_line(s);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('E'), std::string::npos) << "no exponents: " << line;
  EXPECT_TRUE(line.starts_with(R"({"connections":1000,"rooms":10,"publishers":10,"duration_s":10.000,)")) << line;

  auto doc = boost::json::parse(line).as_object();
  EXPECT_EQ(doc.at("deliveries_per_s").to_number<double>(), 199992.0);
  const auto& lat = doc.at("latency_ms").as_object();
  EXPECT_DOUBLE_EQ(lat.at("p50").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(lat.at("p99").to_number<double>(), 12.25);
  EXPECT_DOUBLE_EQ(lat.at("p999").to_number<double>(), 40);
  EXPECT_DOUBLE_EQ(lat.at("max").to_number<double>(), 81.123);
  for (const char* k : {"connections", "rooms", "publishers", "duration_s", "sent", "acked", "delivered",
                        "deliveries_per_s", "latency_ms", "setup_s", "errors"}) {
    EXPECT_TRUE(doc.contains(k)) << k;
  }
  EXPECT_EQ(doc.at("server_rss_kib").as_object().at("end").to_number<std::uint64_t>(), 123456u);
  EXPECT_TRUE(doc.at("server_rss_kib").as_object().at("before").is_null());
  EXPECT_TRUE(doc.at("bench_rss_kib").is_null());
}

TEST(Summary, NoServerRssWithoutAPid) {
  Summary s;
  EXPECT_EQ(to_json_line(s).find("server_rss_kib"), std::string::npos);
  boost::json::parse(to_json_line(s));  // still valid
}

}  // namespace
}  // namespace chattwo::bench
