#include "net/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "api/byte_ranges.hpp"

namespace chattwo::net {
namespace {

namespace fs = std::filesystem;

// FNV-1a 64: not cryptographic, only to tell versions of a file apart.
std::string content_etag(const std::string& content) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : content) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string_view mime_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "gif") return "image/gif";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "yaml" || ext == "yml") return "application/yaml";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root_dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(root_dir, ec);
  if (ec || !fs::is_directory(root)) throw std::runtime_error("web dir " + root_dir + " is not a readable directory");
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const fs::path rel = fs::relative(it->path(), root);
    if (rel.empty() || rel.begin()->string() == "..") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    File f;
    f.content = content.str();
    f.content_type = std::string(mime_type(rel.filename().string()));
    f.etag = content_etag(f.content);
    f.is_html = rel.extension() == ".html";
    total_bytes_ += f.content.size();
    files_.emplace("/" + rel.generic_string(), std::move(f));
  }
  if (ec) throw std::runtime_error("cannot read web dir " + root_dir + ": " + ec.message());
}

std::optional<api::Response> StaticFiles::serve(std::string_view path, std::string_view if_none_match) const {
  std::string key(path);
  if (key.ends_with('/')) key += "index.html";
  auto it = files_.find(key);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;

  api::Response r;
  r.set_header("ETag", f.etag);
  // Vendor files change only with package-lock.json; everything else is
  // revalidated on each use (cheap: a 304 without a body).
  r.set_header("Cache-Control", key.starts_with("/vendor/") ? "public, max-age=86400" : "no-cache");
  if (f.is_html) {
    r.set_header("Content-Security-Policy", std::string(kHtmlContentSecurityPolicy));
    r.set_header("X-Frame-Options", "DENY");
  }
  if (api::if_none_match_hits(if_none_match, f.etag)) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", f.content_type);
  r.body = f.content;
  return r;
}

}  // namespace chattwo::net
