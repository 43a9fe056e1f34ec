// Every route the server knows is in docs/openapi.yaml, and every operation
// the document describes is a route: the published contract and the code
// can't drift apart silently. The routes come from api::all_routes on a
// context composed as serve.cpp composes it (app::Services, in memory).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "api/routes.hpp"
#include "app/services.hpp"
#include "chat/clock.hpp"
#include "ops/health.hpp"
#include "ops/metrics.hpp"

namespace {

using namespace chattwo;
using Operation = std::pair<std::string, std::string>;  // method (lower case), path

// "paths:" then "  /path:" (two spaces) then "    get:" (four): the
// document's own layout, which the YAML of docs/openapi.yaml keeps.
std::set<Operation> documented_operations() {
  std::ifstream in(std::string(CHATTWO_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in) << "docs/openapi.yaml not found";
  std::set<Operation> ops;
  std::string line, path;
  bool in_paths = false;
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line.size() > 4 && line[4] != ' ' && line.back() == ':') {
      const std::string method = line.substr(4, line.size() - 5);
      if (kMethods.contains(method)) ops.emplace(method, path);
    }
  }
  return ops;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(RoutesDocumented, EveryRouteIsInTheOpenApiDocumentAndTheOtherWayRound) {
  chat::SystemClock clock;
  chat::UlidGenerator ids(clock);
  ops::Registry metrics;
  ops::Health health;
  app::ServicesSettings settings;
  settings.database = {":memory:"};
  settings.argon2 = {8 << 20, 1};
  const auto dir = std::filesystem::temp_directory_path() / ("chattwo-routes-" + std::to_string(::getpid()));
  settings.images.dir = (dir / "images").string();
  settings.upload_work_dir = (dir / "uploads").string();
  app::Services services(settings, clock, ids, metrics, health);

  struct RemoveDir {
    std::filesystem::path path;
    ~RemoveDir() { std::filesystem::remove_all(path); }
  } remove_dir{dir};
  std::set<Operation> routed;
  for (const auto& route : api::all_routes(services.context)) {
    std::string method = lower(api::to_string(route.method));
    if (method == "head") continue;  // Beast answers HEAD for every GET; not an operation of its own
    routed.emplace(method, route.pattern);
  }
  const auto documented = documented_operations();
  ASSERT_FALSE(documented.empty());
  for (const auto& [method, path] : routed) {
    EXPECT_TRUE(documented.contains({method, path})) << "routed but not in docs/openapi.yaml: " << method << " " << path;
  }
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(routed.contains({method, path})) << "in docs/openapi.yaml but not routed: " << method << " " << path;
  }
}

}  // namespace
