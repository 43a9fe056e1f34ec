#include "net/router.hpp"

#include <optional>
#include <stdexcept>

namespace chattwo::net {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(api::Route route) {
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      throw std::logic_error("route registered twice: " + route.pattern);
    }
  }
  Compiled c;
  for (auto s : split_path(route.pattern)) c.segments.emplace_back(s);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

Router::Match Router::match(api::Method method, std::string_view path) const {
  const auto raw = split_path(path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (auto s : raw) {
    auto decoded = api::percent_decode(s);
    if (!decoded) return Match{Outcome::bad_path};
    segments.push_back(std::move(*decoded));
  }

  Match result;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = compiled_[i].segments;
    if (pattern.size() != segments.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool ok = true;
    for (std::size_t k = 0; k < pattern.size() && ok; ++k) {
      if (is_param(pattern[k])) {
        ok = !segments[k].empty();
        params[pattern[k].substr(1, pattern[k].size() - 2)] = segments[k];
      } else {
        ok = pattern[k] == segments[k];
      }
    }
    if (!ok) continue;
    const api::Method m = routes_[i].method;
    if (m == method || (method == api::Method::head && m == api::Method::get)) {
      return Match{Outcome::found, &routes_[i], std::move(params), {}};
    }
    result.outcome = Outcome::method_not_allowed;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += api::to_string(m);
    if (m == api::Method::get) result.allow += ", HEAD";
  }
  return result;
}

}  // namespace chattwo::net
