#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using chattwo::app::load_config;
using namespace std::chrono_literals;

namespace {

struct Env {
  std::map<std::string, std::string> vars;
  chattwo::app::Getenv getter() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

struct TomlFile {
  std::string path = (std::filesystem::temp_directory_path() / ("chattwo-config-" + std::to_string(::getpid()) + ".toml")).string();
  explicit TomlFile(const std::string& text) { std::ofstream(path) << text; }
  ~TomlFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST(Config, DefaultsAreTheEmbeddedSetup) {
  Env env;
  auto c = load_config({"serve"}, env.getter());
  ASSERT_EQ(c.exit_code, -1) << c.output;
  EXPECT_EQ(c.settings.listen.host, "127.0.0.1");
  EXPECT_EQ(c.settings.listen.port, 8080);
  EXPECT_EQ(c.settings.data_dir, "data");
  EXPECT_EQ(c.settings.max_json_body_bytes, 1u << 20);
  EXPECT_EQ(c.settings.max_send_rate, 50u);
}

TEST(Config, FlagBeatsEnvironmentBeatsFile) {
  TomlFile file("listen = \"0.0.0.0:1\"\ndata_dir = \"/from/file\"\nmax_send_rate = 7\n"
                "allowed_origins = [\"https://a.example\", \"https://b.example\"]\nheader_timeout = \"3s\"\n");
  Env env{{{"CHATTWO_CONFIG", file.path}, {"CHATTWO_LISTEN", "127.0.0.1:2"}, {"CHATTWO_DATA_DIR", "/from/env"}}};
  auto c = load_config({"serve", "--listen", "127.0.0.1:3"}, env.getter());
  ASSERT_EQ(c.exit_code, -1) << c.output;
  EXPECT_EQ(c.settings.listen.port, 3);               // flag
  EXPECT_EQ(c.settings.data_dir, "/from/env");        // env over file
  EXPECT_EQ(c.settings.max_send_rate, 7u);            // file
  EXPECT_EQ(c.settings.header_timeout, 3s);
  ASSERT_EQ(c.settings.allowed_origins.size(), 2u);
  EXPECT_EQ(c.settings.allowed_origins[1], "https://b.example");
}

TEST(Config, ConfigFlagNamesTheFile) {
  TomlFile file("max_json_body = \"2MiB\"\n");
  Env env;
  auto c = load_config({"serve", "--config", file.path}, env.getter());
  ASSERT_EQ(c.exit_code, -1) << c.output;
  EXPECT_EQ(c.settings.max_json_body_bytes, 2u << 20);
}

TEST(Config, BadValuesAreOneLineErrors) {
  Env env{{{"CHATTWO_MAX_SEND_RATE", "lots"}}};
  auto c = load_config({"serve"}, env.getter());
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.output.find("CHATTWO_MAX_SEND_RATE"), std::string::npos) << c.output;
  EXPECT_EQ(c.output.find('\n'), std::string::npos);

  Env none;
  EXPECT_EQ(load_config({"serve", "--listen", "nowhere"}, none.getter()).exit_code, 2);
  EXPECT_EQ(load_config({"serve", "--no-such-flag"}, none.getter()).exit_code, 2);
  EXPECT_EQ(load_config({"serve", "--header-timeout", "soon"}, none.getter()).exit_code, 2);
}

TEST(Config, UnknownAndMalformedFileSettingsAreErrors) {
  Env env;
  TomlFile unknown("lisen = \"127.0.0.1:1\"\n");
  auto c = load_config({"serve", "--config", unknown.path}, env.getter());
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.output.find("unknown setting 'lisen'"), std::string::npos) << c.output;

  TomlFile broken("listen = \n");
  EXPECT_EQ(load_config({"serve", "--config", broken.path}, env.getter()).exit_code, 2);
}

TEST(Config, HelpAndVersion) {
  Env env;
  auto help = load_config({"serve", "--help"}, env.getter());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--max-send-rate"), std::string::npos);
  EXPECT_NE(help.output.find("CHATTWO_LISTEN"), std::string::npos);
  auto version = load_config({"--version"}, env.getter());
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("chattwo ", 0), 0u);
}

// docs/configuration.md carries the settings table; this keeps it in step
// with the code. On failure, paste the printed table into the file.
TEST(Config, DocumentationListsEverySetting) {
  std::ifstream in(std::string(CHATTWO_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string table = chattwo::app::settings_markdown();
  EXPECT_NE(doc.str().find(table), std::string::npos)
      << "docs/configuration.md is out of date; its table should read:\n" << table;
}

TEST(Config, ImagesDefaultToAFolderUnderTheDataDir) {
  Env env;
  auto c = load_config({"serve", "--data-dir", "/srv/chattwo"}, env.getter());
  ASSERT_EQ(c.exit_code, -1) << c.output;
  EXPECT_EQ(c.settings.images.store, chattwo::ops::BlobStoreKind::fs);
  EXPECT_EQ(c.settings.images.dir, "/srv/chattwo/images");
  EXPECT_EQ(c.settings.images.s3.presign_expiry, 300s);
  EXPECT_FALSE(c.settings.images.s3.path_style);

  auto own = load_config({"serve", "--images-dir", "/mnt/images"}, env.getter());
  EXPECT_EQ(own.settings.images.dir, "/mnt/images");
}

TEST(Config, ImagesInS3FromAnImagesTable) {
  TomlFile file(
      "data_dir = \"/var/lib/chattwo\"\n"
      "[images]\nstore = \"s3\"\ns3_bucket = \"chat-images\"\ns3_region = \"eu-west-2\"\n"
      "s3_access_key_id = \"AKIAFROMFILE\"\n"
      "[images.s3]\npath_style = true\npresign_expiry = \"10m\"\nendpoint = \"http://127.0.0.1:9000\"\n");
  // The secret comes from the environment, as it should in production.
  Env env{{{"CHATTWO_CONFIG", file.path}, {"CHATTWO_IMAGES_S3_SECRET_ACCESS_KEY", "from-env"}}};
  auto c = load_config({"serve", "--images-cloudfront-url", "https://d1.cloudfront.net"}, env.getter());
  ASSERT_EQ(c.exit_code, -1) << c.output;
  const auto& images = c.settings.images;
  EXPECT_EQ(images.store, chattwo::ops::BlobStoreKind::s3);
  EXPECT_EQ(images.s3.bucket, "chat-images");
  EXPECT_EQ(images.s3.region, "eu-west-2");
  EXPECT_EQ(images.s3.access_key_id, "AKIAFROMFILE");
  EXPECT_EQ(images.s3.secret_access_key, "from-env");
  EXPECT_TRUE(images.s3.path_style);
  EXPECT_EQ(images.s3.presign_expiry, 600s);
  EXPECT_EQ(images.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(images.s3.cloudfront_url, "https://d1.cloudfront.net");
  EXPECT_EQ(images.dir, "/var/lib/chattwo/images");  // set even when unused
}

TEST(Config, ImagesInS3NeedBucketAndKeys) {
  Env env;
  auto c = load_config({"serve", "--images-store", "s3", "--images-s3-bucket", "b"}, env.getter());
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.output.find("images-s3-access-key-id, images-s3-secret-access-key"), std::string::npos) << c.output;
  EXPECT_EQ(c.output.find('\n'), std::string::npos);

  Env keys{{{"CHATTWO_IMAGES_S3_ACCESS_KEY_ID", "id"}, {"CHATTWO_IMAGES_S3_SECRET_ACCESS_KEY", "secret"}}};
  EXPECT_EQ(load_config({"serve", "--images-store", "s3", "--images-s3-bucket", "b"}, keys.getter()).exit_code, -1);
  EXPECT_EQ(load_config({"serve", "--images-store", "s3", "--images-s3-bucket", "b", "--images-s3-endpoint",
                         "127.0.0.1:9000"},
                        keys.getter())
                .exit_code,
            2);
}

TEST(Config, BadImageValuesAreErrors) {
  Env env;
  EXPECT_EQ(load_config({"serve", "--images-store", "ftp"}, env.getter()).exit_code, 2);
  EXPECT_EQ(load_config({"serve", "--images-s3-path-style", "maybe"}, env.getter()).exit_code, 2);
  EXPECT_EQ(load_config({"serve", "--images-s3-presign-expiry", "169h"}, env.getter()).exit_code, 2);
  EXPECT_EQ(load_config({"serve", "--images-s3-presign-expiry", "1500ms"}, env.getter()).exit_code, 2);
  TomlFile unknown("[images]\nstroe = \"fs\"\n");
  auto c = load_config({"serve", "--config", unknown.path}, env.getter());
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.output.find("unknown setting 'images_stroe'"), std::string::npos) << c.output;
}

TEST(Config, SecretsHaveNoDefaultAndAreNotInTheHelp) {
  Env env;
  auto c = load_config({"serve"}, env.getter());
  EXPECT_TRUE(c.settings.images.s3.access_key_id.empty());
  EXPECT_TRUE(c.settings.images.s3.secret_access_key.empty());
  auto help = load_config({"serve", "--help"}, env.getter());
  EXPECT_NE(help.output.find("--images-s3-secret-access-key"), std::string::npos);
  EXPECT_NE(help.output.find("CHATTWO_IMAGES_S3_SECRET_ACCESS_KEY"), std::string::npos);
}
