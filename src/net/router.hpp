#pragma once
// Maps (method, path) to a Route. Pure: no sockets, no Beast.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"

namespace chattwo::net {

class Router {
 public:
  /// Adds a route. Throws std::logic_error for a duplicate (method, pattern).
  void add(api::Route route);

  enum class Outcome { found, not_found, method_not_allowed, bad_path };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const api::Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;  // decoded
    std::string allow;  // for 405: e.g. "GET, HEAD, PATCH"
  };

  /// HEAD matches GET routes. A segment that is not valid percent-encoding
  /// is Outcome::bad_path.
  Match match(api::Method method, std::string_view path) const;

  const std::vector<api::Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" for parameters
  };
  std::vector<api::Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace chattwo::net
