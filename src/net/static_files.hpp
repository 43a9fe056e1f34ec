#pragma once
// The web UI's files, read into memory once at start: serving them never
// touches the disk on a network thread, and only files that were under the
// web folder at start can ever be served (no path traversal by construction).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http_types.hpp"

namespace chattwo::net {

class StaticFiles {
 public:
  /// Loads every regular file under `root` (symlinks are not followed out of
  /// it). Throws std::runtime_error if `root` is not a readable directory.
  explicit StaticFiles(const std::string& root);

  /// The response for GET/HEAD of `path` ("/" is "/index.html"), honouring
  /// If-None-Match; nullopt when there is no such file.
  std::optional<api::Response> serve(std::string_view path, std::string_view if_none_match) const;

  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;  // strong: a hash of the content
    bool is_html;
  };
  std::unordered_map<std::string, File> files_;  // key: URL path, e.g. "/js/app.js"
  std::size_t total_bytes_ = 0;
};

/// The MIME type for a file name, by extension (with charset for text).
std::string_view mime_type(std::string_view file_name);

/// The Content-Security-Policy of every HTML page: no inline script, nothing
/// from other origins, never framed.
inline constexpr std::string_view kHtmlContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

}  // namespace chattwo::net
