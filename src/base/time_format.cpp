#include "base/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace chattwo::base {
namespace {

struct Civil {
  int year, month, day, hour, minute, second, millis, weekday;
};

Civil to_civil(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{unix_ms}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  return Civil{int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())),
               int(hms.hours().count()), int(hms.minutes().count()),
               int(hms.seconds().count()), int(hms.subseconds().count()),
               int(weekday{day}.c_encoding())};
}

}  // namespace

std::string format_rfc3339_ms(std::int64_t unix_ms) {
  const Civil c = to_civil(unix_ms);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millis);
  return buf;
}

std::string format_http_date(std::int64_t unix_ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = to_civil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[c.weekday], c.day,
                kMonths[c.month - 1], c.year, c.hour, c.minute, c.second);
  return buf;
}

}  // namespace chattwo::base
