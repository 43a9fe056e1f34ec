#include "app/config.hpp"

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include <charconv>
#include <filesystem>
#include <map>
#include <sstream>

#include "ops/units.hpp"

namespace chattwo::app {
namespace {

using ops::Settings;

// One setting: its flag name (also the TOML key with '-' -> '_', and the
// environment variable CHATTWO_ + upper case with '-' -> '_').
struct Spec {
  std::string name;
  std::string help;
  std::function<std::string(const Settings&)> show;                        // the default, for --help
  std::function<std::optional<std::string>(Settings&, const std::string&)> apply;  // error text on failure
  std::string metavar = "TEXT";  // what --help shows as the value's kind
};

std::string env_name(const std::string& name) {
  std::string out = "CHATTWO_";
  for (char c : name) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string toml_key(const std::string& name) {
  std::string out = name;
  for (char& c : out) c = c == '-' ? '_' : c;
  return out;
}

template <class T>
std::optional<T> parse_number(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// Builders for the kinds of settings, so the table below reads as a table.
template <class T>
Spec number(std::string name, std::string help, T Settings::*field, T min_value = 0) {
  return {name, help, [field](const Settings& s) { return std::to_string(s.*field); },
          [field, name, min_value](Settings& s, const std::string& v) -> std::optional<std::string> {
            auto n = parse_number<T>(v);
            if (!n || *n < min_value) return "--" + name + " wants a whole number >= " + std::to_string(min_value) + ", not '" + v + "'";
            s.*field = *n;
            return std::nullopt;
          },
          "N"};
}

Spec duration(std::string name, std::string help, std::chrono::milliseconds Settings::*field) {
  return {name, help, [field](const Settings& s) { return ops::format_duration(s.*field); },
          [field, name](Settings& s, const std::string& v) -> std::optional<std::string> {
            auto d = ops::parse_duration(v);
            if (!d) return "--" + name + " wants a duration like 500ms, 10s, 15m, not '" + v + "'";
            s.*field = *d;
            return std::nullopt;
          },
          "DURATION"};
}

Spec size(std::string name, std::string help, std::size_t Settings::*field) {
  return {name, help, [field](const Settings& s) { return ops::format_size(s.*field); },
          [field, name](Settings& s, const std::string& v) -> std::optional<std::string> {
            auto n = ops::parse_size(v);
            if (!n) return "--" + name + " wants a size like 512KiB or 1MiB, not '" + v + "'";
            s.*field = *n;
            return std::nullopt;
          },
          "SIZE"};
}

Spec text(std::string name, std::string help, std::string Settings::*field) {
  return {name, help, [field](const Settings& s) { return s.*field; },
          [field](Settings& s, const std::string& v) -> std::optional<std::string> {
            s.*field = v;
            return std::nullopt;
          }};
}

// A text setting inside a nested struct: `at` maps Settings to the field
// (a generic lambda, so it serves both the const and the mutable Settings).
template <class At>
Spec text_at(std::string name, std::string help, At at) {
  return {name, help, [at](const Settings& s) { return std::string(at(s)); },
          [at](Settings& s, const std::string& v) -> std::optional<std::string> {
            at(s) = v;
            return std::nullopt;
          }};
}

std::optional<bool> parse_bool(const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// The [images] settings: where image bytes live.
void add_image_specs(std::vector<Spec>& t) {
  t.push_back({"images-store", "where image bytes live: fs (a folder) or s3",
               [](const Settings& s) { return std::string(s.images.store == ops::BlobStoreKind::s3 ? "s3" : "fs"); },
               [](Settings& s, const std::string& v) -> std::optional<std::string> {
                 if (v == "fs") s.images.store = ops::BlobStoreKind::fs;
                 else if (v == "s3") s.images.store = ops::BlobStoreKind::s3;
                 else return "--images-store wants fs or s3, not '" + v + "'";
                 return std::nullopt;
               },
               "fs|s3"});
  t.push_back({"images-dir", "fs: the folder for image bytes (created if missing; default: DATA-DIR/images)",
               [](const Settings& s) { return s.images.dir; },
               [](Settings& s, const std::string& v) -> std::optional<std::string> {
                 s.images.dir = v;
                 return std::nullopt;
               },
               "DIR"});
  t.push_back(text_at("images-s3-endpoint", "s3: the S3 API URL (empty: https://s3.REGION.amazonaws.com)",
                      [](auto& s) -> auto& { return s.images.s3.endpoint; }));
  t.push_back(text_at("images-s3-region", "s3: the bucket's region", [](auto& s) -> auto& { return s.images.s3.region; }));
  t.push_back(text_at("images-s3-bucket", "s3: the bucket", [](auto& s) -> auto& { return s.images.s3.bucket; }));
  t.push_back(text_at("images-s3-access-key-id", "s3: the access key id (keep it in the file or the environment)",
                      [](auto& s) -> auto& { return s.images.s3.access_key_id; }));
  t.push_back(text_at("images-s3-secret-access-key",
                      "s3: the secret access key (keep it in the file or the environment: flags show in ps)",
                      [](auto& s) -> auto& { return s.images.s3.secret_access_key; }));
  t.push_back({"images-s3-path-style", "s3: URLs ENDPOINT/BUCKET/KEY (MinIO, s3rver) instead of BUCKET.HOST/KEY",
               [](const Settings& s) { return std::string(s.images.s3.path_style ? "true" : "false"); },
               [](Settings& s, const std::string& v) -> std::optional<std::string> {
                 auto b = parse_bool(v);
                 if (!b) return "--images-s3-path-style wants true or false, not '" + v + "'";
                 s.images.s3.path_style = *b;
                 return std::nullopt;
               },
               "BOOL"});
  t.push_back({"images-s3-presign-expiry", "s3: how long a redirect to a presigned image URL works (1s to 7 days)",
               [](const Settings& s) {
                 return ops::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(s.images.s3.presign_expiry));
               },
               [](Settings& s, const std::string& v) -> std::optional<std::string> {
                 auto d = ops::parse_duration(v);
                 // AWS refuses presigned URLs that live longer than 7 days.
                 if (!d || d->count() % 1000 != 0 || *d < std::chrono::seconds(1) || *d > std::chrono::hours(24 * 7)) {
                   return "--images-s3-presign-expiry wants whole seconds from 1s to 7 days (e.g. 300s, 15m), not '" + v + "'";
                 }
                 s.images.s3.presign_expiry = std::chrono::duration_cast<std::chrono::seconds>(*d);
                 return std::nullopt;
               },
               "DURATION"});
  t.push_back(text_at("images-cloudfront-url",
                      "s3: a CloudFront URL in front of the bucket; images redirect there, unsigned, instead of to presigned S3 URLs",
                      [](auto& s) -> auto& { return s.images.s3.cloudfront_url; }));
}

std::string show_endpoint(const ops::Endpoint& e) {
  return e.host.find(':') != std::string::npos ? "[" + e.host + "]:" + std::to_string(e.port)
                                               : e.host + ":" + std::to_string(e.port);
}

const std::vector<Spec>& specs() {
  static const std::vector<Spec> table = [] {
    std::vector<Spec> t;
    t.push_back({"listen", "HOST:PORT to serve HTTP on; port 0 picks a free port",
                 [](const Settings& s) { return show_endpoint(s.listen); },
                 [](Settings& s, const std::string& v) -> std::optional<std::string> {
                   auto e = ops::parse_endpoint(v);
                   if (!e) return "--listen wants HOST:PORT (e.g. 127.0.0.1:8080), not '" + v + "'";
                   s.listen = *e;
                   return std::nullopt;
                 },
                 "HOST:PORT"});
    t.push_back({"metrics-listen", "HOST:PORT of a separate /metrics listener for Prometheus (off by default)",
                 [](const Settings& s) { return s.metrics_listen ? show_endpoint(*s.metrics_listen) : std::string(); },
                 [](Settings& s, const std::string& v) -> std::optional<std::string> {
                   if (v.empty()) {
                     s.metrics_listen.reset();
                     return std::nullopt;
                   }
                   auto e = ops::parse_endpoint(v);
                   if (!e) return "--metrics-listen wants HOST:PORT, not '" + v + "'";
                   s.metrics_listen = *e;
                   return std::nullopt;
                 },
                 "HOST:PORT"});
    t.push_back(text("data-dir", "folder for the database (created if missing)", &Settings::data_dir));
    t.push_back(text("web-dir", "folder of the web UI's files", &Settings::web_dir));
    t.push_back(text("public-url", "the URL users reach the server at; https:// makes cookies Secure",
                     &Settings::public_url));
    t.push_back({"allowed-origins", "comma-separated browser origins allowed besides the server's own",
                 [](const Settings& s) { return join(s.allowed_origins); },
                 [](Settings& s, const std::string& v) -> std::optional<std::string> {
                   s.allowed_origins = split_list(v);
                   return std::nullopt;
                 },
                 "ORIGINS"});
    t.push_back(number("threads", "network threads (0: one per core)", &Settings::threads));
    t.push_back(number("workers", "threads for storage work; concurrent writers share group commits (0: 2 per core, at least 4)",
                       &Settings::workers));
    t.push_back(number<std::size_t>("worker-queue", "jobs that may wait for a worker before requests get 503",
                                    &Settings::worker_queue, 1));
    t.push_back({"log-format", "text or json",
                 [](const Settings& s) { return std::string(s.log_format == ops::LogFormat::json ? "json" : "text"); },
                 [](Settings& s, const std::string& v) -> std::optional<std::string> {
                   if (v == "text") s.log_format = ops::LogFormat::text;
                   else if (v == "json") s.log_format = ops::LogFormat::json;
                   else return "--log-format wants text or json, not '" + v + "'";
                   return std::nullopt;
                 }});
    t.push_back(text("log-level", "trace, debug, info, warn, error or off", &Settings::log_level));
    t.push_back(size("max-header-bytes", "request head limit (431 beyond)", &Settings::max_header_bytes));
    t.push_back(size("max-json-body", "JSON request body limit (413 beyond)", &Settings::max_json_body_bytes));
    t.push_back(number<std::size_t>("max-connections", "open connections at most; more are closed at once",
                                    &Settings::max_connections, 1));
    t.push_back(duration("header-timeout", "a request's head must arrive within this (stops slowloris)",
                         &Settings::header_timeout));
    t.push_back(duration("body-timeout", "a request body must arrive, and a response be taken, within this",
                         &Settings::body_timeout));
    t.push_back(duration("idle-timeout", "keep-alive connections idle this long are closed", &Settings::idle_timeout));
    t.push_back(duration("drain-grace", "on SIGTERM, /readyz answers 503 this long before listeners close",
                         &Settings::drain_grace));
    t.push_back(duration("shutdown-timeout", "then requests in flight get this long to finish",
                         &Settings::shutdown_timeout));
    t.push_back(duration("stomp-heartbeat", "STOMP heart-beat offered in CONNECTED, both ways (0: none)",
                         &Settings::stomp_heartbeat));
    t.push_back(number("max-send-rate", "messages per second one user may send (bursts of 4x; 0: no limit)",
                       &Settings::max_send_rate));
    t.push_back(number<std::size_t>("login-max-failures-per-email", "failed logins per email per window, then 429",
                                    &Settings::login_max_failures_per_email, 1));
    t.push_back(number<std::size_t>("login-max-failures-per-address",
                                    "failed logins per client address per window, then 429",
                                    &Settings::login_max_failures_per_address, 1));
    t.push_back(duration("login-failure-window", "the window of the two limits above", &Settings::login_failure_window));
    t.push_back(size("argon2-memlimit", "Argon2id memory per password hash (at least 8KiB)",
                     &Settings::argon2_memlimit_bytes));
    t.push_back(number("argon2-opslimit", "Argon2id passes per password hash (at least 1)", &Settings::argon2_opslimit, 1u));
    add_image_specs(t);
    return t;
  }();
  return table;
}

// TOML values become the same strings a flag would carry.
std::optional<std::string> toml_to_string(const toml::node& node) {
  if (auto v = node.value<std::string>()) return *v;
  if (auto v = node.value_exact<int64_t>()) return std::to_string(*v);
  if (auto v = node.value_exact<bool>()) return *v ? "true" : "false";
  if (const auto* arr = node.as_array()) {
    std::vector<std::string> items;
    for (const auto& item : *arr) {
      auto s = toml_to_string(item);
      if (!s) return std::nullopt;
      items.push_back(*s);
    }
    return join(items);
  }
  return std::nullopt;
}

// A table's keys are settings named with the table's name in front:
// [images] store = "s3" is images_store, [images.s3] bucket is images_s3_bucket.
std::optional<std::string> apply_table(Settings& s, const std::string& path, const toml::table& table,
                                       const std::string& prefix) {
  for (const auto& [key, node] : table) {
    const std::string k = prefix + std::string(key.str());
    if (const auto* sub = node.as_table()) {
      if (auto err = apply_table(s, path, *sub, k + "_")) return err;
      continue;
    }
    const Spec* spec = nullptr;
    for (const auto& candidate : specs()) {
      if (toml_key(candidate.name) == k) spec = &candidate;
    }
    if (!spec) return "config " + path + ": unknown setting '" + k + "'";
    auto value = toml_to_string(node);
    if (!value) return "config " + path + ": '" + k + "' has a value of an unsupported type";
    if (auto err = spec->apply(s, *value)) return "config " + path + ": " + *err;
  }
  return std::nullopt;
}

std::optional<std::string> apply_file(Settings& s, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return "config " + path + ": " + std::string(e.description()) + " at " + where.str();
  }
  return apply_table(s, path, table, "");
}

// Settings of [images] that depend on others, and what S3 can't do without.
std::optional<std::string> finish_images(Settings& s) {
  if (s.images.dir.empty()) s.images.dir = (std::filesystem::path(s.data_dir) / "images").string();
  if (s.images.store != ops::BlobStoreKind::s3) return std::nullopt;
  const auto& s3 = s.images.s3;
  std::string missing;
  for (const auto& [name, value] : {std::pair{"images-s3-bucket", &s3.bucket}, std::pair{"images-s3-region", &s3.region},
                                    std::pair{"images-s3-access-key-id", &s3.access_key_id},
                                    std::pair{"images-s3-secret-access-key", &s3.secret_access_key}}) {
    if (value->empty()) missing += std::string(missing.empty() ? "" : ", ") + name;
  }
  if (!missing.empty()) return "images-store s3 needs " + missing;
  for (const auto* url : {&s3.endpoint, &s3.cloudfront_url}) {
    if (!url->empty() && !url->starts_with("http://") && !url->starts_with("https://")) {
      return "'" + *url + "' is not an http:// or https:// URL";
    }
  }
  return std::nullopt;
}

LoadedConfig fail(std::string message) {
  LoadedConfig out;
  out.exit_code = 2;
  out.output = std::move(message);
  return out;
}

}  // namespace

LoadedConfig load_config(const std::vector<std::string>& args, const Getenv& getenv) {
  CLI::App cli{"ChatTwo: a KakaoTalk-style real-time chat server", "chattwo"};
  cli.name("chattwo");
  cli.set_version_flag("--version", std::string("chattwo ") + CHATTWO_VERSION);
  cli.require_subcommand(1);
  CLI::App* serve = cli.add_subcommand("serve", "serve HTTP, the API and the web UI");
  serve->footer(
      "Each setting also comes from the environment (CHATTWO_LISTEN, ...) and from the\n"
      "TOML file given by --config (listen = \"127.0.0.1:8080\", ...). A flag beats the\n"
      "environment, which beats the file. Durations: 500ms, 10s, 15m. Sizes: 512KiB, 1MiB.");

  std::string config_path;
  serve->add_option("--config", config_path, "TOML file with settings [env CHATTWO_CONFIG]")->type_name("FILE");
  std::map<std::string, std::string> flag_values;
  for (const auto& spec : specs()) {
    Settings defaults;
    defaults.web_dir = "(the web/ folder of the source tree)";
    std::string shown = spec.show(defaults);
    serve->add_option("--" + spec.name, flag_values[spec.name],
                      spec.help + (shown.empty() ? "" : " [default " + shown + "]") + " [env " + env_name(spec.name) + "]")
        ->type_name(spec.metavar);
  }

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 wants them reversed
  try {
    cli.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return LoadedConfig{{}, 0, (cli.got_subcommand(serve) ? serve : &cli)->help()};
  } catch (const CLI::CallForVersion&) {
    return LoadedConfig{{}, 0, std::string("chattwo ") + CHATTWO_VERSION + "\n"};
  } catch (const CLI::ParseError& e) {
    return fail(std::string("chattwo: ") + e.what() + " (see chattwo serve --help)");
  }

  LoadedConfig out;
  Settings& s = out.settings;
  if (config_path.empty()) {
    if (const char* env = getenv("CHATTWO_CONFIG")) config_path = env;
  }
  if (!config_path.empty()) {
    if (auto err = apply_file(s, config_path)) return fail("chattwo: " + *err);
  }
  for (const auto& spec : specs()) {
    if (const char* env = getenv(env_name(spec.name).c_str())) {
      if (auto err = spec.apply(s, env)) return fail("chattwo: " + env_name(spec.name) + ": " + *err);
    }
  }
  for (const auto& spec : specs()) {
    if (serve->count("--" + spec.name) > 0) {
      if (auto err = spec.apply(s, flag_values[spec.name])) return fail("chattwo: " + *err);
    }
  }
  if (auto err = finish_images(s)) return fail("chattwo: " + *err);
  return out;
}

std::string settings_markdown() {
  std::string out = "| flag | environment | TOML key | default | meaning |\n|---|---|---|---|---|\n";
  Settings defaults;
  defaults.web_dir = "the source tree's `web/`";
  for (const auto& spec : specs()) {
    out += "| `--" + spec.name + "` | `" + env_name(spec.name) + "` | `" + toml_key(spec.name) + "` | " +
           (spec.show(defaults).empty() ? "" : "`" + spec.show(defaults) + "`") + " | " + spec.help + " |\n";
  }
  return out;
}

}  // namespace chattwo::app
