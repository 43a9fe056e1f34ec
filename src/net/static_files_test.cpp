#include "net/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using chattwo::net::StaticFiles;
namespace fs = std::filesystem;

namespace {

struct TempWeb {
  fs::path root = fs::temp_directory_path() / ("chattwo-web-" + std::to_string(::getpid()));
  TempWeb() {
    fs::create_directories(root / "js");
    std::ofstream(root / "index.html") << "<!doctype html><title>t</title>";
    std::ofstream(root / "js" / "app.js") << "export {};";
    std::ofstream(root.parent_path() / "secret.txt") << "outside";
  }
  ~TempWeb() { fs::remove_all(root); }
};

}  // namespace

TEST(StaticFiles, ServesIndexWithCspAndEtag) {
  TempWeb web;
  StaticFiles files(web.root.string());
  auto r = files.serve("/", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r->header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_FALSE(r->header("ETag").empty());

  auto again = files.serve("/index.html", r->header("ETag"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST(StaticFiles, MimeTypesAndMisses) {
  TempWeb web;
  StaticFiles files(web.root.string());
  EXPECT_EQ(files.serve("/js/app.js", "")->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_FALSE(files.serve("/nope.js", ""));
  EXPECT_FALSE(files.serve("/../secret.txt", ""));
  EXPECT_FALSE(files.serve("/js/../../secret.txt", ""));
}

TEST(StaticFiles, MissingRootIsAnError) {
  EXPECT_THROW(StaticFiles("/nonexistent/chattwo/web"), std::runtime_error);
}
