#include "api/query_values.hpp"

#include <charconv>

namespace chattwo::api {

chat::Result<std::optional<std::string>> query_text(const Request& req, std::string_view name) {
  std::string_view rest = req.query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) != std::string(name)) continue;
    std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    for (char& c : value) {
      if (c == '+') c = ' ';  // form encoding, as browsers write query strings
    }
    auto decoded = percent_decode(value);
    if (!decoded) {
      return chat::fail(chat::Error::validation(std::string(name) + " has a malformed %-escape", std::string(name)));
    }
    return std::optional<std::string>(std::move(*decoded));
  }
  return std::optional<std::string>();
}

chat::Result<std::optional<std::int64_t>> query_integer(const Request& req, std::string_view name) {
  auto text = query_text(req, name);
  if (!text) return chat::fail(text.error());
  if (!*text) return std::optional<std::int64_t>{};
  const std::string& digits = **text;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || ptr != digits.data() + digits.size()) {
    return chat::fail(chat::Error::validation(std::string(name) + " must be an integer", std::string(name)));
  }
  return std::optional<std::int64_t>{value};
}

chat::Result<std::size_t> query_limit(const Request& req, std::string_view name, std::size_t fallback,
                                      std::size_t max) {
  auto text = query_text(req, name);
  if (!text) return chat::fail(text.error());
  if (!*text) return fallback;
  const std::string& digits = **text;
  const std::string field(name);
  if (digits.starts_with('-') && digits.size() > 1 &&
      digits.find_first_not_of("0123456789", 1) == std::string::npos) {
    return chat::fail(chat::Error::validation(field + " must be at least 1", field));
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    return chat::fail(chat::Error::validation(field + " must be a whole number", field));
  }
  // Past the maximum the exact value does not matter, which also keeps a
  // 30-digit number from overflowing anything.
  std::size_t value = 0;
  for (char c : digits) {
    value = value * 10 + static_cast<std::size_t>(c - '0');
    if (value > max) return max;
  }
  if (value < 1) return chat::fail(chat::Error::validation(field + " must be at least 1", field));
  return value;
}

}  // namespace chattwo::api
