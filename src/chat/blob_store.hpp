#pragma once
// Port: where image bytes live (a local folder, or S3). Keys are chosen by
// the domain ("img/<ulid>/full.jpg"); the store only keeps bytes and the
// content type under them and says how a client gets them back.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "chat/result.hpp"

namespace chattwo::chat {

/// What is stored under a key.
struct BlobInfo {
  std::uint64_t size = 0;     // bytes
  std::string etag;           // a strong validator: changes whenever the bytes do; no quotes around it
  std::string content_type;   // as given to put()
};

/// An open blob's bytes, readable in any range without loading them whole
/// (for HTTP Range requests and for sending in chunks). It keeps reading the
/// bytes it was opened on even if the key is overwritten or removed meanwhile.
/// Reads block (disk I/O): call from a worker thread. One reader is not
/// meant to be used by two threads at once.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  /// Copies up to out.size() bytes starting at byte `offset` of the blob
  /// into `out` and says how many: fewer only at the end, 0 at or past it.
  /// Code::internal on an I/O error.
  virtual Result<std::size_t> read(std::uint64_t offset, std::span<char> out) = 0;
};

/// The process serves the bytes itself (the folder adapter).
struct LocalBlob {
  BlobInfo info;
  std::unique_ptr<BlobReader> reader;  // reads exactly the bytes `info` describes
};

/// Someone else serves the bytes (S3 or CloudFront): answer with a redirect.
struct BlobRedirect {
  std::string url;
  // How much longer `url` works (a presigned URL expires); zero: it does
  // not expire. A cached redirect must not outlive it.
  std::chrono::seconds valid_for{0};
};

using BlobLocation = std::variant<LocalBlob, BlobRedirect>;

/// Port: bytes under keys. Keys are 1-512 characters: segments of
/// [A-Za-z0-9._-] (1-128 each, none starting with '.') joined by '/', so
/// no "..", no absolute paths and nothing that needs escaping in a URL
/// (validate_blob_key). Every method blocks on disk or network I/O: call
/// it from a worker thread, never a network thread. Implementations are
/// thread-safe. Failures of the storage itself are Code::unavailable (try
/// again later: unreachable, timed out, throttled) or Code::internal
/// (misconfigured, refused, corrupt).
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  /// Stores the bytes of the local file at `file_path` under `key` with
  /// `content_type`, replacing what was there. Readers see the old bytes or
  /// the new ones, never a part; once it returns, the bytes are durable.
  /// The file is read, not moved or removed: the caller still owns it.
  /// Code::validation for a bad key or content type (field "key" or
  /// "content_type"); Code::internal when the file can't be read.
  virtual Result<BlobInfo> put(std::string_view key, const std::string& file_path,
                               std::string_view content_type) = 0;

  /// Removes `key`. Removing a key that isn't there succeeds too.
  virtual Result<void> remove(std::string_view key) = 0;

  /// What is stored under `key`; Code::not_found when nothing is.
  virtual Result<BlobInfo> stat(std::string_view key) = 0;

  /// How a client gets the bytes of `key`: a LocalBlob to send, or a
  /// BlobRedirect to answer 302 with. A store that redirects may not check
  /// that the key exists (the URL then answers 404 itself); one that serves
  /// locally answers Code::not_found.
  virtual Result<BlobLocation> locate(std::string_view key) = 0;
};

/// The key rules above: Code::validation (field "key") when `key` breaks them.
Result<void> validate_blob_key(std::string_view key);

/// A content type every adapter can store and send back as a header:
/// 1-255 printable ASCII characters (no control characters, so no header
/// injection), with a '/' (e.g. "image/jpeg"). Code::validation (field
/// "content_type") otherwise.
Result<void> validate_blob_content_type(std::string_view content_type);

}  // namespace chattwo::chat
